package io.spool.http.internal;

import java.time.Instant;
import java.util.List;

/** What the API shows of a job's webhook deliveries. */
final class WebhookViews {
  private WebhookViews() {}

  /** One delivery and its attempts, oldest first. */
  record Delivery(String url, String state, Instant nextAttemptAt, List<Attempt> attempts) {}

  /** One attempt: the receiver's status (null when none came), how long it took, what went wrong. */
  record Attempt(int number, Instant at, Integer status, long latencyMillis, String error) {}
}
