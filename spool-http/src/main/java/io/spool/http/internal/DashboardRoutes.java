package io.spool.http.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard: {@code GET /} and its files under {@code /dashboard/}, plain HTML, CSS and
 * JavaScript from the jar. They hold no data and are served without a token; the page asks for
 * one and sends it with every call it makes to the API. Its security policy lets it load and call
 * nothing but this server.
 */
final class DashboardRoutes {
  static final String PREFIX = "/dashboard/";
  private static final String RESOURCES = "/io/spool/http/dashboard/";
  private static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "dashboard.js", "text/javascript; charset=utf-8",
      "tus.js", "text/javascript; charset=utf-8",
      "dashboard.css", "text/css; charset=utf-8");
  private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
      + " img-src 'self' blob: data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private final Map<String, byte[]> content;

  DashboardRoutes() {
    java.util.HashMap<String, byte[]> read = new java.util.HashMap<>();
    FILES.keySet().forEach(name -> read.put(name, resource(name)));
    this.content = Map.copyOf(read);
  }

  /** Whether a path is one of the dashboard's, open without a token. */
  static boolean isDashboard(String path) {
    return path.equals("/") || path.startsWith(PREFIX);
  }

  void addTo(RoutesConfig routes) {
    routes.get("/", ctx -> send(ctx, "index.html"));
    routes.get(PREFIX + "{file}", ctx -> send(ctx, ctx.pathParam("file")));
  }

  private void send(Context ctx, String name) {
    byte[] bytes = content.get(name);
    if (bytes == null) {
      throw Refused.notFound("the dashboard has no file named '" + name + "'");
    }
    ctx.header("Content-Security-Policy", POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-cache")
        .contentType(FILES.get(name))
        .result(bytes);
  }

  private static byte[] resource(String name) {
    try (InputStream in = DashboardRoutes.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard's " + name, e);
    }
  }
}
