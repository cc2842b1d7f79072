package io.spool.engine;

import io.spool.media.BadArgumentException;
import java.time.Duration;

/**
 * How often a job is retried after a failure that retrying can fix (timeouts, transient ffmpeg
 * failures). Invalid input and other deterministic failures are never retried. The default is
 * the reference guide's {@code Retries(max_retries=3, initial_delay=1.0, backoff_coefficient=2.0)}.
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, double backoffCoefficient) {
  public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), 2.0);
  public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ofSeconds(1), 2.0);

  public RetryPolicy {
    if (maxRetries < 0 || maxRetries > 100) {
      throw new BadArgumentException("maxRetries must be between 0 and 100, got " + maxRetries);
    }
    if (initialDelay == null || initialDelay.isNegative() || initialDelay.isZero()) {
      throw new BadArgumentException("initialDelay must be positive, got " + initialDelay);
    }
    if (backoffCoefficient < 1.0) {
      throw new BadArgumentException("backoffCoefficient must be >= 1.0, got " + backoffCoefficient);
    }
  }
}
