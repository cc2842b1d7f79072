package io.spool.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.spool.http.HttpStatuses;
import io.spool.http.HttpStatuses.Refusal;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become answers: {@code {"error": {"code", "message",
 * "retryable"}}} with the status {@link HttpStatuses} gives. Every message passes through
 * {@code shown} first, so that no answer names a path of the server's own.
 */
final class ErrorAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);

  private ErrorAnswers() {}

  static void install(RoutesConfig routes, java.util.function.UnaryOperator<String> shown) {
    routes.exception(Refused.class, (e, ctx) -> {
      e.headers().forEach(ctx::header);
      answer(ctx, e.refusal().status(), e.refusal().name(), shown.apply(e.getMessage()), e.refusal() == Refusal.QUEUE_FULL);
    });
    routes.exception(SpoolException.class, (e, ctx) ->
        answer(ctx, HttpStatuses.of(e.code()), e.code().name(), shown.apply(e.getMessage()), e.retryable()));
    routes.exception(JsonProcessingException.class, (e, ctx) ->
        answer(ctx, 400, ErrorCode.BAD_ARGUMENT.name(), (e instanceof com.fasterxml.jackson.core.JsonParseException
            ? "malformed JSON: " : "") + HttpJson.reason(e), false));
    routes.exception(HttpResponseException.class, (e, ctx) -> {
      Refusal r = switch (e.getStatus()) {
        case 404 -> Refusal.NOT_FOUND;
        case 405 -> Refusal.METHOD_NOT_ALLOWED;
        case 413 -> Refusal.TOO_LARGE;
        case 415 -> Refusal.UNSUPPORTED_MEDIA_TYPE;
        default -> null;
      };
      answer(ctx, e.getStatus(), r == null ? ErrorCode.BAD_ARGUMENT.name() : r.name(), e.getMessage(), false);
    });
    routes.exception(Exception.class, (e, ctx) -> {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      answer(ctx, 500, ErrorCode.INTERNAL.name(), shown.apply("internal error: " + e), false);
    });
  }

  /** What is wrong with a JSON body, in one line, naming the field where Jackson knows it. */
  static void answer(Context ctx, int status, String code, String message, boolean retryable) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.put("retryable", retryable);
    ctx.status(status).contentType("application/json").result(HttpJson.write(Map.of("error", error)));
  }
}
