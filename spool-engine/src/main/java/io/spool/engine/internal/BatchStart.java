package io.spool.engine.internal;

import io.spool.engine.BatchRecord;
import java.util.List;

/**
 * What a batch workflow runs: the jobs of batch {@code batchId} with {@code from <= index < to},
 * read from the job records as it goes (the workflow input carries no job specs, so that a
 * batch of any size starts with a small payload). A range larger than the plan's chunk runs as
 * child workflows of one chunk each, whose {@code parentId} is the batch's workflow.
 *
 * @param marked jobs whose records already say running: the first ones of a batch are marked
 *     when it is submitted, so that they go to the task queue without first waiting for their
 *     records to be written
 * @param cancelled jobs in this range asked to stop before the workflow started
 * @param chunk this chunk's number, from 0 (0 for a batch that runs its jobs itself)
 * @param restarted whether a coordinator started the batch again after its workflow was lost:
 *     its jobs that had begun may find their own outputs published already
 */
public record BatchStart(String batchId, int from, int to, BatchRecord.Plan plan, List<String> marked,
    boolean cancelAll, List<String> cancelled, String parentId, int chunk, boolean restarted) {
  public BatchStart {
    marked = List.copyOf(marked);
    cancelled = List.copyOf(cancelled);
  }

  public static BatchStart of(String batchId, int jobs, BatchRecord.Plan plan, List<String> marked) {
    return new BatchStart(batchId, 0, jobs, plan, marked, false, List.of(), null, 0, false);
  }

  /**
   * A batch started again after its workflow was lost; {@code cancelled}: its jobs whose cancel
   * requests wait in the job store, which it never starts.
   */
  public static BatchStart restart(String batchId, int jobs, BatchRecord.Plan plan, List<String> cancelled) {
    return new BatchStart(batchId, 0, jobs, plan, List.of(), false, cancelled, null, 0, true);
  }

  public int size() {
    return to - from;
  }

  /** The workflow id of chunk {@code k} of batch {@code batchId}. */
  public static String chunkId(String batchId, int k) {
    return batchId + "." + (k + 1);
  }
}
