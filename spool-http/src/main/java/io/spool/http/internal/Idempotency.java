package io.spool.http.internal;

import io.javalin.http.Context;
import io.spool.engine.IdempotencyKeys;
import io.spool.http.HttpStatuses.Refusal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key}: a request that carries one makes its job (or batch) once; a retry with
 * the same key and the same request gets what the first made, marked {@code Idempotent-Replayed:
 * true}. The same key with another request is refused (422), and so is a retry while the first is
 * still being answered (409).
 */
final class Idempotency {
  static final String HEADER = "Idempotency-Key";

  private final IdempotencyKeys keys;

  Idempotency(IdempotencyKeys keys) {
    this.keys = keys;
  }

  /** What was made: its id, and whether this request made it or a request before did. */
  record Made(String id, boolean replayed) {}

  /** Runs {@code make} unless a request with this key made something already; {@code request} is what the key stands for. */
  Made once(Context ctx, String scope, Object request, Supplier<String> make) {
    String key = ctx.header(HEADER);
    if (key == null) {
      return new Made(make.get(), false);
    }
    String scoped = scope + ":" + key;
    IdempotencyKeys.Claim claim = keys.claim(scoped, hash(scope + "\n" + HttpJson.write(request)));
    if (claim instanceof IdempotencyKeys.Claim.Made m) {
      ctx.header("Idempotent-Replayed", "true");
      return new Made(m.targetId(), true);
    }
    if (claim instanceof IdempotencyKeys.Claim.InProgress) {
      throw new Refused(Refusal.CONFLICT, "a request with this Idempotency-Key is still being answered; retry it shortly");
    }
    if (claim instanceof IdempotencyKeys.Claim.Mismatch) {
      throw new Refused(Refusal.KEY_REUSED, "this Idempotency-Key was used for a different request");
    }
    String id;
    try {
      id = make.get();
    } catch (RuntimeException e) {
      keys.release(scoped);
      throw e;
    }
    keys.complete(scoped, id);
    return new Made(id, false);
  }

  private static String hash(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
