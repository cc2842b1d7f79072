package io.spool.engine;

import java.time.Instant;
import java.util.List;

/**
 * A job's webhook: where its outcome is sent, how far the sending has come, and every attempt.
 *
 * @param nextAttemptAt when the next attempt is due (pending deliveries)
 * @param body the payload every attempt sends, fixed at the first; null before it
 */
public record WebhookDelivery(String jobId, String url, State state, int attempts, Instant nextAttemptAt, String body,
    List<Attempt> log) {

  public WebhookDelivery {
    log = log == null ? List.of() : List.copyOf(log);
  }

  /** Where a delivery is. */
  public enum State {
    /** The job has not ended. */
    WAITING,
    /** To be sent (again). */
    PENDING,
    DELIVERED,
    /** The attempts ran out. */
    FAILED;

    public boolean terminal() {
      return this == DELIVERED || this == FAILED;
    }
  }

  /**
   * One attempt: when, the receiver's status (null where none came back), how long it took, and
   * what went wrong (null on success).
   */
  public record Attempt(int number, Instant at, Integer status, long latencyMillis, String error) {}
}
