package io.spool.engine;

import io.spool.engine.internal.store.Database;
import io.spool.engine.internal.store.IdempotencyRows;
import io.spool.media.BadArgumentException;
import java.time.Duration;

/**
 * Request keys (HTTP's {@code Idempotency-Key}) and the job or batch each made, in the job store,
 * so that a retried request gets what the first one made, whichever server process answers it. A
 * key is kept for {@link #KEPT}; a key claimed by a request that never finished (its process died)
 * can be claimed again after {@link #UNFINISHED_CLAIM}.
 */
public final class IdempotencyKeys {
  public static final Duration KEPT = Duration.ofHours(24);
  public static final Duration UNFINISHED_CLAIM = Duration.ofMinutes(1);
  public static final int MAX_KEY_LENGTH = 300;

  private final Database db;

  IdempotencyKeys(Database db) {
    this.db = db;
  }

  /** What a claim found. */
  public sealed interface Claim {
    /** The key is new: this request makes the job and then {@link #complete}s the key (or {@link #release}s it). */
    record Claimed() implements Claim {}

    /** A request with this key made {@code targetId}. */
    record Made(String targetId) implements Claim {}

    /** Another request with this key is still being answered. */
    record InProgress() implements Claim {}

    /** The key was used for a different request. */
    record Mismatch() implements Claim {}
  }

  /** Claims {@code key} for a request whose content hashes to {@code requestHash}, in one transaction. */
  public Claim claim(String key, String requestHash) {
    check(key);
    long now = System.currentTimeMillis();
    return db.write(c -> {
      IdempotencyRows.removeOlderThan(c, now - KEPT.toMillis());
      IdempotencyRows.Row row = IdempotencyRows.read(c, db.forUpdate(), key);
      if (row != null && !row.requestHash().equals(requestHash)) {
        return new Claim.Mismatch();
      }
      if (row != null && row.targetId() != null) {
        return new Claim.Made(row.targetId());
      }
      if (row != null && now - row.createdMillis() < UNFINISHED_CLAIM.toMillis()) {
        return new Claim.InProgress();
      }
      if (row == null) {
        IdempotencyRows.insert(c, key, requestHash, now);
      } else {
        IdempotencyRows.reclaim(c, key, now);
      }
      return new Claim.Claimed();
    });
  }

  /** Records what the request that claimed {@code key} made. */
  public void complete(String key, String targetId) {
    check(key);
    db.write(c -> {
      IdempotencyRows.complete(c, key, targetId);
      return null;
    });
  }

  /** Gives up a claim whose request failed, so that a retry can make the job. */
  public void release(String key) {
    check(key);
    db.write(c -> {
      IdempotencyRows.remove(c, key);
      return null;
    });
  }

  private static void check(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.chars().anyMatch(ch -> ch < 0x20 || ch > 0x7e)) {
      throw new BadArgumentException("an idempotency key is 1-" + MAX_KEY_LENGTH + " printable ASCII characters");
    }
  }
}
