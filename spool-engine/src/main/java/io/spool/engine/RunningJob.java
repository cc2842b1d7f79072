package io.spool.engine;

/** A job in progress, as its latest heartbeat tells. */
public record RunningJob(String jobId, int attempt, double fraction, double speed, long etaMillis) {}
