package io.spool.engine.internal;

import io.spool.engine.AttemptRecord;
import io.spool.media.Metrics;
import java.util.List;

/**
 * Progress of a running job, as it travels in Temporal heartbeats; and what the job's attempts so
 * far used ({@code spent}) and where they ran ({@code attempts}, this one last), which Temporal
 * hands to the next attempt with the last heartbeat, so that every attempt is metered, priced and
 * recorded with its worker, even one whose worker was killed.
 */
public record HeartbeatDetails(String jobId, int attempt, double fraction, double speed, long etaMillis, Metrics spent,
    List<AttemptRecord> attempts) {
  public HeartbeatDetails {
    spent = spent == null ? Metrics.ZERO : spent;
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  HeartbeatDetails withSpent(Metrics total) {
    return new HeartbeatDetails(jobId, attempt, fraction, speed, etaMillis, total, attempts);
  }

  HeartbeatDetails withAttempts(List<AttemptRecord> log) {
    return new HeartbeatDetails(jobId, attempt, fraction, speed, etaMillis, spent, log);
  }
}
