package io.spool.engine.internal;

import io.spool.engine.JobOutcome;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Media work, run by workers on the {@code cpu} and {@code gpu} task queues. */
@ActivityInterface
public interface MediaActivities {
  @ActivityMethod(name = "RunJob")
  JobOutcome run(JobRequest request);
}
