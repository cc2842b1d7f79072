package io.spool.http.internal;

import io.javalin.http.Context;
import io.spool.http.ApiTokens;
import io.spool.http.HttpStatuses.Refusal;
import java.util.Map;
import java.util.Set;

/**
 * Lets a request through only with {@code Authorization: Bearer TOKEN} for a known token; runs
 * before any route reads the body or starts anything. The health checks stay open, for load
 * balancers and orchestrators, and so do the OpenAPI document, the API explorer and the
 * dashboard's files, which hold no data.
 */
final class BearerAuth {
  static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz", OpenApiRoute.PATH, OpenApiRoute.ALIAS);
  private static final String PREFIX = "bearer ";

  private final ApiTokens tokens;

  BearerAuth(ApiTokens tokens) {
    this.tokens = tokens;
  }

  void check(Context ctx) {
    if (OPEN_PATHS.contains(ctx.path()) || DashboardRoutes.isDashboard(ctx.path()) || DocsRoutes.isDocs(ctx.path())) {
      return;
    }
    String h = ctx.header("Authorization");
    String token = h != null && h.length() > PREFIX.length() && h.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        ? h.substring(PREFIX.length()).strip() : null;
    if (!tokens.accepts(token)) {
      throw new Refused(Refusal.UNAUTHORIZED, token == null ? "an Authorization: Bearer token is needed"
          : "the bearer token is not one of this server's", Map.of("WWW-Authenticate", "Bearer realm=\"spool\""));
    }
  }
}
