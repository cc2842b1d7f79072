package io.spool.engine.internal;

/** Progress of a running job, as it travels in Temporal heartbeats. */
public record HeartbeatDetails(String jobId, int attempt, double fraction, double speed, long etaMillis) {}
