package io.spool.engine.internal;

import java.util.List;

/**
 * What a batch workflow runs: the jobs, how many run at once, and how many may be handed to the
 * task queue at once ({@code window >= concurrency}). Jobs handed over beyond {@code concurrency}
 * wait in the queue, so a worker slot that frees up takes the next job at once instead of after
 * a round trip through the workflow.
 */
public record BatchPlan(String batchId, List<JobRequest> jobs, int concurrency, int window) {
  public BatchPlan {
    window = Math.max(window, concurrency);
  }
}
