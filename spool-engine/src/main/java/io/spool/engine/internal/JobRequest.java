package io.spool.engine.internal;

import io.spool.engine.JobSpec;

/**
 * The activity payload: a job and its identity. Paths and options only, never media bytes.
 *
 * @param ownSince where a coordinator restart runs the job again, when its earlier run began
 *     (epoch ms): an output published since then is its own and may be replaced; 0 otherwise
 */
public record JobRequest(String jobId, String batchId, int index, JobSpec spec, long ownSince) {}
