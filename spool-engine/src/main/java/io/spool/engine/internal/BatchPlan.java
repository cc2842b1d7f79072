package io.spool.engine.internal;

import java.util.List;

/** What a batch workflow runs: the jobs, and how many at once. */
public record BatchPlan(String batchId, List<JobRequest> jobs, int concurrency) {}
