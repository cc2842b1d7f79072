package io.spool.http.internal;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A page's files from the jar (the dashboard's, the API explorer's): a fixed list of names with
 * their content types, read once, served with the page's security policy. A name not on the list
 * is not found; nothing else of the jar is reachable.
 */
final class JarFiles {
  private final String what;
  private final Map<String, String> types;
  private final UnaryOperator<String> resourceOf;
  private final String policy;
  private final Map<String, byte[]> read = new ConcurrentHashMap<>();

  /**
   * @param what the page, for messages
   * @param types each file's name and content type
   * @param resourceOf where a name lies in the jar
   * @param policy the {@code Content-Security-Policy} sent with every file
   */
  JarFiles(String what, Map<String, String> types, UnaryOperator<String> resourceOf, String policy) {
    this.what = what;
    this.types = Map.copyOf(types);
    this.resourceOf = resourceOf;
    this.policy = policy;
  }

  /** Reads every file now, so that a missing one stops the server at its start, not at a request. */
  JarFiles readAll() {
    types.keySet().forEach(this::bytes);
    return this;
  }

  void send(Context ctx, String name) {
    String type = types.get(name);
    if (type == null) {
      throw Refused.notFound(what + " has no file named '" + name + "'");
    }
    ctx.header("Content-Security-Policy", policy).header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-cache").contentType(type).result(bytes(name));
  }

  private byte[] bytes(String name) {
    return read.computeIfAbsent(name, n -> {
      String resource = resourceOf.apply(n);
      try (InputStream in = JarFiles.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(what + "'s " + n + " is missing from the jar (" + resource + ")");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + what + "'s " + n, e);
      }
    });
  }
}
