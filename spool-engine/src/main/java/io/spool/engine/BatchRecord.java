package io.spool.engine;

import java.time.Instant;
import java.util.List;

/**
 * The durable record of a batch: its jobs, their tally, and how it runs.
 *
 * @param coordinatorPid the process that embeds the engine running it; 0 when a shared Temporal
 *     service runs it (see {@code coordinator})
 * @param coordinator {@link #EMBEDDED}, or the Temporal service ({@code host:port}) whose
 *     coordinator runs the batch and starts it again after a restart
 * @param plan how its jobs are handed out, so that a coordinator can start it again
 * @param errorCode where the batch failed as a whole (its workflow ended before its jobs did), the
 *     {@link io.spool.media.ErrorCode} of that; null otherwise
 * @param error the one-line reason that goes with {@code errorCode}
 */
public record BatchRecord(
    String id,
    String type,
    JobState state,
    Instant createdAt,
    Instant finishedAt,
    List<String> jobIds,
    int succeeded,
    int failed,
    int cancelled,
    JobCost cost,
    long coordinatorPid,
    String coordinator,
    Plan plan,
    String errorCode,
    String error) {

  /** The coordinator of a batch run by an engine inside the submitting process. */
  public static final String EMBEDDED = "embedded";

  /**
   * How a batch hands out its jobs: {@code chunkJobs} per workflow, at most {@code concurrency}
   * running and {@code window} handed to the task queue at once, jobs asking for {@code cores}
   * together at most (0: no such limit), and whether the next chunk may start while the last
   * jobs of the one before run ({@code overlap}).
   */
  public record Plan(int chunkJobs, int concurrency, int window, int cores, boolean overlap) {
    public static final Plan DEFAULT = new Plan(1000, 1, 1, 0, false);
  }

  /** A batch that has not failed as a whole. */
  public BatchRecord(String id, String type, JobState state, Instant createdAt, Instant finishedAt, List<String> jobIds,
      int succeeded, int failed, int cancelled, JobCost cost, long coordinatorPid, String coordinator, Plan plan) {
    this(id, type, state, createdAt, finishedAt, jobIds, succeeded, failed, cancelled, cost, coordinatorPid, coordinator, plan,
        null, null);
  }

  public BatchRecord {
    String missing = id == null ? "id" : state == null ? "state" : createdAt == null ? "createdAt"
        : jobIds == null ? "jobIds" : null;
    if (missing != null) {
      throw new IllegalArgumentException((id == null ? "a batch record" : "batch record " + id) + " has no " + missing);
    }
    jobIds = List.copyOf(jobIds);
    cost = cost == null ? JobCost.ZERO : cost;
    coordinator = coordinator == null ? EMBEDDED : coordinator;
    plan = plan == null ? Plan.DEFAULT : plan;
  }

  /** Whether the submitting process's own engine runs it (it ends when that process does). */
  public boolean embedded() {
    return EMBEDDED.equals(coordinator);
  }

  /** This batch, ended unfinished (its process was stopped or is gone). */
  public BatchRecord interrupted(Instant now) {
    return ended(JobState.CANCELLED, now, succeeded, failed, cancelled, cost);
  }

  /** This batch, ended with the tally given. */
  public BatchRecord ended(JobState s, Instant now, int ok, int bad, int stopped, JobCost total) {
    return new BatchRecord(id, type, s, createdAt, now, jobIds, ok, bad, stopped, total, coordinatorPid, coordinator, plan,
        errorCode, error);
  }

  /** This batch, failed as a whole with the code and one-line reason given (see {@link #errorCode}). */
  public BatchRecord failedAsAWhole(Instant now, int ok, int bad, int stopped, JobCost total, String code, String why) {
    return new BatchRecord(id, type, JobState.FAILED, createdAt, now, jobIds, ok, bad, stopped, total, coordinatorPid,
        coordinator, plan, code, why);
  }
}
