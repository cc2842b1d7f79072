package io.spool.engine;

import java.util.Optional;

/** A submitted job: its id, state, progress and result, and a way to cancel it. */
public final class JobHandle {
  private final BatchHandle batch;
  private final String jobId;

  JobHandle(BatchHandle batch, String jobId) {
    this.batch = batch;
    this.jobId = jobId;
  }

  public String id() {
    return jobId;
  }

  public JobState state() {
    return batch.engine().store().job(jobId).map(JobRecord::state).orElse(JobState.QUEUED);
  }

  /** Latest progress while running. */
  public Optional<RunningJob> progress() {
    return batch.running().stream().filter(r -> r.jobId().equals(jobId)).findFirst();
  }

  /** Waits for the job to end (success or not) and returns how it ended. */
  public JobOutcome result() {
    batch.await();
    return batch.engine().store().job(jobId).map(JobRecord::outcome)
        .orElseThrow(() -> new IllegalStateException("job " + jobId + " has no outcome"));
  }

  public void cancel() {
    batch.cancel(jobId);
  }
}
