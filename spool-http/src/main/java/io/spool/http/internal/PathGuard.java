package io.spool.http.internal;

import io.javalin.http.Context;
import io.spool.media.BadArgumentException;
import java.util.Locale;

/**
 * Refuses a request whose path climbs or hides a separator: {@code .} or {@code ..} segments,
 * percent-encoded dots, slashes or backslashes, backslashes themselves. Checked on the path as the
 * client sent it, since the server resolves dot segments before routing, and a path such as
 * {@code /v1/volumes/media/../../x} would otherwise reach another route instead of being refused.
 */
final class PathGuard {
  private PathGuard() {}

  static void check(Context ctx) {
    String raw = ctx.req().getRequestURI();
    if (raw == null) {
      return;
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")
        || lower.contains("%25")) {
      throw new BadArgumentException("the request path holds an encoded dot, slash, backslash or percent sign: " + raw);
    }
    for (String segment : raw.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new BadArgumentException("the request path holds a '" + segment + "' segment: " + raw);
      }
    }
  }
}
