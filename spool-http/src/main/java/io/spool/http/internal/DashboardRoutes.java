package io.spool.http.internal;

import io.javalin.config.RoutesConfig;
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

  private final JarFiles files = new JarFiles("the dashboard", FILES, name -> RESOURCES + name, POLICY).readAll();

  /** Whether a path is one of the dashboard's, open without a token. */
  static boolean isDashboard(String path) {
    return path.equals("/") || path.startsWith(PREFIX);
  }

  void addTo(RoutesConfig routes) {
    routes.get("/", ctx -> files.send(ctx, "index.html"));
    routes.get(PREFIX + "{file}", ctx -> files.send(ctx, ctx.pathParam("file")));
  }
}
