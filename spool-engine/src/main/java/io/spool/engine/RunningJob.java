package io.spool.engine;

/** A job in progress, as its latest heartbeat tells; {@code worker} is null where Temporal did not say. */
public record RunningJob(String jobId, int attempt, double fraction, double speed, long etaMillis, WorkerRef worker) {}
