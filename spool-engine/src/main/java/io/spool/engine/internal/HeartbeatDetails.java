package io.spool.engine.internal;

import io.spool.media.Metrics;

/**
 * Progress of a running job, as it travels in Temporal heartbeats; and what the job's earlier
 * attempts used ({@code spent}), which Temporal hands to the next attempt with the last heartbeat,
 * so that every attempt is metered and priced.
 */
public record HeartbeatDetails(String jobId, int attempt, double fraction, double speed, long etaMillis, Metrics spent) {
  public HeartbeatDetails {
    spent = spent == null ? Metrics.ZERO : spent;
  }

  HeartbeatDetails withSpent(Metrics total) {
    return new HeartbeatDetails(jobId, attempt, fraction, speed, etaMillis, total);
  }
}
