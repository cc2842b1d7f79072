package io.spool.engine;

import io.spool.media.Metrics;
import java.time.Instant;
import java.util.Map;

/**
 * How a job ended: what the job record, the results manifest and the Java API report.
 *
 * @param index position in its batch
 * @param errorCode stable failure code ({@link io.spool.media.ErrorCode} name), null on success
 * @param attempts attempts made (1 = no retry)
 * @param mediaSeconds media duration processed
 */
public record JobOutcome(
    String jobId,
    String batchId,
    int index,
    String type,
    String input,
    String output,
    JobState state,
    String errorCode,
    String error,
    int attempts,
    Instant startedAt,
    Instant finishedAt,
    Metrics metrics,
    double mediaSeconds,
    JobCost cost,
    Map<String, String> details) {

  public JobOutcome {
    metrics = metrics == null ? Metrics.ZERO : metrics;
    cost = cost == null ? JobCost.ZERO : cost;
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** Media seconds per wall second, 0 when unknown. */
  public double speed() {
    return metrics.wallSeconds() > 0 ? mediaSeconds / metrics.wallSeconds() : 0;
  }
}
