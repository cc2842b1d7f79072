package io.spool.http.internal;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /v1/openapi.json} (and {@code /openapi.json}): the API's OpenAPI 3.1 document, written by hand and kept in the jar;
 * a test holds it to the routes the server really has. Open without a token, like any API's
 * published description.
 */
final class OpenApiRoute {
  static final String PATH = "/v1/openapi.json";
  /** The same document where tools look for it first. */
  static final String ALIAS = "/openapi.json";
  /** Where the document lies in the jar. */
  static final String RESOURCE = "/io/spool/http/openapi.json";

  private final byte[] document;

  OpenApiRoute() {
    try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the jar");
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the OpenAPI document " + RESOURCE, e);
    }
  }

  void addTo(RoutesConfig routes) {
    for (String path : new String[] {PATH, ALIAS}) {
      routes.get(path, ctx -> ctx.contentType("application/json").header("Cache-Control", "no-cache").result(document));
    }
  }
}
