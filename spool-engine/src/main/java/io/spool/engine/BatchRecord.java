package io.spool.engine;

import java.time.Instant;
import java.util.List;

/** The durable record of a batch: its jobs and their tally. */
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
    long coordinatorPid) {

  public BatchRecord {
    String missing = id == null ? "id" : state == null ? "state" : createdAt == null ? "createdAt"
        : jobIds == null ? "jobIds" : null;
    if (missing != null) {
      throw new IllegalArgumentException((id == null ? "a batch record" : "batch record " + id) + " has no " + missing);
    }
    jobIds = List.copyOf(jobIds);
    cost = cost == null ? JobCost.ZERO : cost;
  }

  /** This batch, ended unfinished (its process was stopped or is gone). */
  public BatchRecord interrupted(Instant now) {
    return new BatchRecord(id, type, JobState.CANCELLED, createdAt, now, jobIds, succeeded, failed, cancelled, cost,
        coordinatorPid);
  }
}
