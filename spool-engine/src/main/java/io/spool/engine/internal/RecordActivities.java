package io.spool.engine.internal;

import io.spool.engine.JobOutcome;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * Bookkeeping run as local activities by the coordinator, which has the job store. Calls carry
 * every change of one workflow step, so records cost one call per step, not per job.
 */
@ActivityInterface
public interface RecordActivities {
  /**
   * The unfinished jobs of a batch with {@code from <= index < to}, by index, as the workflow runs
   * them; {@code restarted}: those that had begun own the outputs published since.
   */
  @ActivityMethod(name = "RecordLoad")
  List<JobRequest> load(String batchId, int from, int to, boolean restarted);

  @ActivityMethod(name = "RecordStarted")
  void started(List<String> jobIds, long startedAtMillis);

  @ActivityMethod(name = "RecordFinished")
  void finished(List<JobOutcome> outcomes);

  /**
   * Ends the unfinished jobs of a range that will not run ({@code state} CANCELLED or FAILED,
   * with the code and reason given).
   */
  @ActivityMethod(name = "RecordClosed")
  BatchTally close(String batchId, int from, int to, String state, String code, String why);

  /** The batch has ended: its record is tallied from its jobs' records. */
  @ActivityMethod(name = "RecordBatchEnded")
  void batchEnded(String batchId);

  /**
   * The batch's workflow is about to fail for good: the batch and its unfinished jobs are
   * recorded as failed ({@code BATCH_FAILED}, with the one-line reason {@code why}).
   */
  @ActivityMethod(name = "RecordBatchFailed")
  void batchFailed(String batchId, String why);
}
