package io.spool.engine;

import java.time.Instant;

/**
 * The durable record of one job, kept by the coordinating process under the Spool home and
 * rewritten as the job changes. Lists, the dashboard and resume read these, not Temporal.
 *
 * @param coordinatorPid the process driving the job, to tell abandoned records from live ones
 * @param outcome how it ended; null until it has
 * @param params the job type's parameters, so that a coordinator can run the job from its record
 */
public record JobRecord(
    String id,
    String batchId,
    int index,
    String type,
    String input,
    String output,
    JobState state,
    Resources resources,
    Instant createdAt,
    Instant startedAt,
    long coordinatorPid,
    JobOutcome outcome,
    java.util.Map<String, Object> params) {

  public JobRecord {
    String missing = id == null ? "id" : type == null ? "type" : state == null ? "state" : createdAt == null ? "createdAt" : null;
    if (missing != null) {
      throw new IllegalArgumentException((id == null ? "a job record" : "job record " + id) + " has no " + missing);
    }
    resources = resources == null ? Resources.DEFAULT : resources;
    params = params == null ? java.util.Map.of() : java.util.Map.copyOf(params);
  }

  /** The job as it was submitted. */
  public JobSpec spec() {
    return new JobSpec(type, params, resources, input, output);
  }

  public JobRecord withState(JobState s, Instant started) {
    return new JobRecord(id, batchId, index, type, input, output, s, resources, createdAt,
        started == null ? startedAt : started, coordinatorPid, outcome, params);
  }

  /**
   * This job, ended because the process driving it was stopped (Ctrl-C, SIGTERM) after
   * {@code attempts} attempts had begun.
   */
  public JobOutcome interrupted(Instant now, int attempts) {
    return ended(JobState.CANCELLED, io.spool.media.ErrorCode.CANCELLED.name(), "interrupted: Spool was stopped", attempts, now);
  }

  /** This job, ended unfinished for the reason given. */
  public JobOutcome interrupted(Instant now, String why) {
    return endedBefore(JobState.CANCELLED, io.spool.media.ErrorCode.CANCELLED.name(), why, now);
  }

  /** This job, ended from outside its run (no attempt finished, nothing measured). */
  public JobOutcome endedBefore(JobState state, String errorCode, String why, Instant now) {
    return ended(state, errorCode, why, 0, now);
  }

  private JobOutcome ended(JobState state, String errorCode, String why, int attempts, Instant now) {
    return new JobOutcome(id, batchId, index, type, input, output, state, errorCode, why, attempts, startedAt, now, null, 0,
        null, java.util.Map.of(), outcome == null ? java.util.List.of() : outcome.attemptLog());
  }

  public JobRecord withOutcome(JobOutcome o) {
    return new JobRecord(id, batchId, index, type, input, output, o.state(), resources, createdAt,
        startedAt == null ? o.startedAt() : startedAt, coordinatorPid, o, params);
  }
}
