package io.spool.engine.internal;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** Fans a batch of jobs out over the media workers with bounded concurrency. One job is a batch of one. */
@WorkflowInterface
public interface BatchWorkflow {
  @WorkflowMethod(name = "SpoolBatch")
  BatchTally run(BatchPlan plan);

  /** Cancels one job: it stops if running, or never starts. */
  @SignalMethod
  void cancelJob(String jobId);

  /**
   * Cancels every job not yet finished, except the given ones, whose outcomes are on their way
   * (see {@link CancelGate}).
   */
  @SignalMethod
  void cancelAll(List<String> except);
}
