package io.spool.engine.internal;

import java.util.List;

/**
 * What a batch workflow runs: the jobs, how many run at once, and how many may be handed to the
 * task queue at once ({@code window >= concurrency}). Jobs handed over beyond {@code concurrency}
 * wait in the queue, so a worker slot that frees up takes the next job at once instead of after
 * a round trip through the workflow. {@code marked} are jobs whose records already say running:
 * the first ones of a batch are marked when it is submitted, so that they go to the task queue
 * without first waiting for their records to be written (a workflow task hands out its jobs only
 * after its local activities have ended). With {@code cores > 0}, the jobs handed over at once
 * also ask for at most that many cores together (a job wider than that goes alone), so that jobs
 * of different widths run side by side as the worker's cores allow.
 */
public record BatchPlan(String batchId, List<JobRequest> jobs, int concurrency, int window, int cores, List<String> marked) {
  public BatchPlan {
    window = Math.max(window, concurrency);
    marked = List.copyOf(marked);
  }

  /** The cores {@code job} counts for against {@link #cores}. */
  public int coresOf(JobRequest job) {
    return Math.min(job.spec().resources().cpu(), cores);
  }

  /** Whether {@code job} may be handed over beside jobs that ask for {@code busy} cores together. */
  public boolean fits(int busy, JobRequest job) {
    return cores <= 0 || busy == 0 || busy + coresOf(job) <= cores;
  }
}
