package io.spool.engine.internal;

import io.spool.engine.JobSpec;

/** The activity payload: a job and its identity. Paths and options only, never media bytes. */
public record JobRequest(String jobId, String batchId, int index, JobSpec spec) {}
