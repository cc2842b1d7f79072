package io.spool.http.internal;

import io.spool.http.HttpStatuses.Refusal;
import java.util.Map;

/**
 * How many jobs the server holds that have not ended (synchronous transcodes included), at most
 * {@code max}: past that a request is turned away with 429 and a Retry-After before anything of it
 * is read or started, so that a flood of requests costs neither memory nor disk.
 */
final class Admission {
  static final int RETRY_AFTER_SECONDS = 5;

  private final int max;
  private int held; // guarded by this

  Admission(int max) {
    this.max = max;
  }

  /** Takes {@code n} places or refuses the request. */
  synchronized void take(int n) {
    if (held + n > max) {
      throw new Refused(Refusal.QUEUE_FULL, held + " jobs are unfinished and the server takes " + max
          + (n > 1 ? "; a batch of " + n + " does not fit" : "") + "; try again later",
          Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    }
    held += n;
  }

  synchronized void release(int n) {
    held = Math.max(0, held - n);
  }

  synchronized int held() {
    return held;
  }
}
