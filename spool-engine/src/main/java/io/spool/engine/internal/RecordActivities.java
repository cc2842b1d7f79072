package io.spool.engine.internal;

import io.spool.engine.JobOutcome;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * Bookkeeping run as local activities in the coordinating process, where the job records live.
 * Calls carry every change of one workflow step, so records cost one call per step, not per job.
 */
@ActivityInterface
public interface RecordActivities {
  @ActivityMethod(name = "RecordStarted")
  void started(List<String> jobIds, long startedAtMillis);

  @ActivityMethod(name = "RecordFinished")
  void finished(List<JobOutcome> outcomes);
}
