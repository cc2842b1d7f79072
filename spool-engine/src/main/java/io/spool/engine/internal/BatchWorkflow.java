package io.spool.engine.internal;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Fans a batch of jobs out over the media workers with bounded concurrency; one job is a batch of
 * one. Its workflow id is the batch id; a batch larger than one chunk runs its chunks as child
 * workflows of this same type.
 *
 * <p>Cancelling never cancels an activity from the workflow: Temporal's in-process service refuses
 * a workflow task that cancels an activity which completed while that task was being worked on,
 * and the workflow never gets another task (temporalio/sdk-java#2391). Instead a job's attempt asks
 * {@link #cancelRequested} with every heartbeat and ends itself; an outcome that was already on its
 * way stands.
 */
@WorkflowInterface
public interface BatchWorkflow {
  @WorkflowMethod(name = "SpoolBatch")
  BatchTally run(BatchStart start);

  /** Cancels one job ({@code index} in its batch): it stops if running, or never starts. */
  @SignalMethod
  void cancelJob(String jobId, int index);

  /** Cancels every job not yet finished. */
  @SignalMethod
  void cancelAll();

  /** A chunk has handed all its jobs to the task queue: the next may start behind them. */
  @SignalMethod
  void chunkHandedOut(int chunk);

  /** Whether the job was asked to stop; a running attempt asks with every heartbeat. */
  @QueryMethod
  boolean cancelRequested(String jobId);
}
