package io.spool.engine;

import io.spool.media.Metrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How a job ended: what the job record, the results manifest and the Java API report.
 *
 * @param index position in its batch
 * @param errorCode stable failure code ({@link io.spool.media.ErrorCode} name), null on success
 * @param attempts attempts made (1 = no retry)
 * @param mediaSeconds media duration processed
 * @param attemptLog every attempt with the worker that ran it, oldest first (empty for a job that
 *     never started)
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
    Map<String, String> details,
    List<AttemptRecord> attemptLog) {

  public JobOutcome {
    metrics = metrics == null ? Metrics.ZERO : metrics;
    cost = cost == null ? JobCost.ZERO : cost;
    details = details == null ? Map.of() : Map.copyOf(details);
    attemptLog = attemptLog == null ? List.of() : List.copyOf(attemptLog);
  }

  /** The worker that ran the last attempt, if any attempt began. */
  public java.util.Optional<WorkerRef> worker() {
    return attemptLog.isEmpty() ? java.util.Optional.empty() : java.util.Optional.ofNullable(attemptLog.get(attemptLog.size() - 1).worker());
  }

  /** This outcome with the attempts given. */
  public JobOutcome withAttemptLog(List<AttemptRecord> log) {
    return new JobOutcome(jobId, batchId, index, type, input, output, state, errorCode, error, attempts, startedAt,
        finishedAt, metrics, mediaSeconds, cost, details, log);
  }

  /** This outcome with its cost. */
  public JobOutcome withCost(JobCost c) {
    return new JobOutcome(jobId, batchId, index, type, input, output, state, errorCode, error, attempts, startedAt,
        finishedAt, metrics, mediaSeconds, c, details, attemptLog);
  }

  /** Media seconds per wall second, 0 when unknown. */
  public double speed() {
    return metrics.wallSeconds() > 0 ? mediaSeconds / metrics.wallSeconds() : 0;
  }
}
