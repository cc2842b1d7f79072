package io.spool.http.internal;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The API explorer at {@code /docs}: Swagger UI (from its webjar, in the jar; nothing is fetched
 * from elsewhere) over the OpenAPI document. Like the document, it holds no data and is served
 * without a token; calls made from it need one ("Authorize").
 */
final class DocsRoutes {
  static final String PATH = "/docs";
  private static final String OURS = "/io/spool/http/docs/";
  /** The files of the page: ours, and the few of Swagger UI's that it loads. */
  private static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "explorer.js", "text/javascript; charset=utf-8",
      "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
      "swagger-ui.css", "text/css; charset=utf-8",
      "favicon-32x32.png", "image/png");
  /** Swagger UI styles its elements inline and draws icons from data URLs. */
  private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
      + " img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private final JarFiles files = files(webjarFolder());

  /** Whether a path is one of the explorer's, open without a token. */
  static boolean isDocs(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  void addTo(RoutesConfig routes) {
    routes.get(PATH, ctx -> files.send(ctx, "index.html"));
    routes.get(PATH + "/{file}", ctx -> files.send(ctx, ctx.pathParam("file")));
  }

  /** Ours from the page's folder, Swagger UI's from its webjar; read at the first request, being large. */
  private static JarFiles files(String webjar) {
    return new JarFiles("the API explorer", FILES,
        name -> name.equals("index.html") || name.equals("explorer.js") ? OURS + name : webjar + name, POLICY);
  }

  /** Where the Swagger UI webjar keeps its files: under its own version, read from its Maven properties. */
  private static String webjarFolder() {
    Properties p = new Properties();
    try (InputStream in = DocsRoutes.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the Swagger UI webjar is missing from the class path");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Swagger UI webjar's version", e);
    }
    return "/META-INF/resources/webjars/swagger-ui/" + p.getProperty("version") + "/";
  }
}
