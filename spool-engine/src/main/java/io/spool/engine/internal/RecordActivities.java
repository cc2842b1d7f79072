package io.spool.engine.internal;

import io.spool.engine.JobOutcome;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Bookkeeping run as local activities in the coordinating process, where the job records live. */
@ActivityInterface
public interface RecordActivities {
  @ActivityMethod(name = "RecordStarted")
  void started(String jobId, long startedAtMillis);

  @ActivityMethod(name = "RecordFinished")
  void finished(JobOutcome outcome);
}
