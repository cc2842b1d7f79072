package io.spool.engine.internal;

import io.spool.engine.Resources;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Every Temporal timeout and retry setting Spool uses, in one place. */
public final class JobOptions {
  /** How long a worker may go silent before its attempt is given to another worker. */
  public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
  /** How often a running job heartbeats (progress, and to learn of cancellation). */
  public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

  private JobOptions() {}

  /**
   * Activity options from a job's resources. The job's own timeout is enforced by the worker
   * (it ends ffmpeg and reports a retryable TIMEOUT); Temporal's start-to-close timeout is only a
   * backstop for a worker that hangs, with room for waiting on CPU capacity.
   */
  public static ActivityOptions forResources(Resources r) {
    Duration backoffCap = r.retries().initialDelay()
        .multipliedBy((long) Math.ceil(Math.pow(r.retries().backoffCoefficient(), Math.max(0, r.retries().maxRetries()))));
    return ActivityOptions.newBuilder()
        .setTaskQueue(r.queue())
        .setStartToCloseTimeout(r.timeout().multipliedBy(2).plusMinutes(1))
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(r.retries().initialDelay())
            .setBackoffCoefficient(r.retries().backoffCoefficient())
            .setMaximumInterval(backoffCap.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : backoffCap)
            .setMaximumAttempts(r.retries().maxRetries() + 1)
            .build())
        .build();
  }

  public static LocalActivityOptions records() {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(5).build())
        .build();
  }
}
