package io.spool.engine.internal;

import io.spool.engine.JobOutcome;
import io.spool.engine.JobState;
import io.spool.media.ErrorCode;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs the jobs of a batch, at most {@code concurrency} at a time, and records each outcome. */
public class BatchWorkflowImpl implements BatchWorkflow {
  private final RecordActivities records = Workflow.newLocalActivityStub(RecordActivities.class, JobOptions.records());
  private final Map<String, CancellationScope> running = new HashMap<>();
  private final Set<String> cancelled = new HashSet<>();
  private boolean cancelAll;
  private int active;

  @Override
  public BatchTally run(BatchPlan plan) {
    List<Promise<JobOutcome>> outcomes = new ArrayList<>();
    for (JobRequest job : plan.jobs()) {
      Workflow.await(() -> active < plan.concurrency());
      active++;
      outcomes.add(Async.function(this::runJob, job));
    }
    int ok = 0;
    int failed = 0;
    int stopped = 0;
    for (Promise<JobOutcome> p : outcomes) {
      switch (p.get().state()) {
        case SUCCEEDED -> ok++;
        case CANCELLED -> stopped++;
        default -> failed++;
      }
    }
    return new BatchTally(ok, failed, stopped);
  }

  private JobOutcome runJob(JobRequest job) {
    try {
      if (cancelAll || cancelled.contains(job.jobId())) {
        JobOutcome o = ended(job, JobState.CANCELLED, ErrorCode.CANCELLED.name(), "cancelled before it started", 0, null);
        records.finished(o);
        return o;
      }
      long started = Workflow.currentTimeMillis();
      records.started(job.jobId(), started);
      MediaActivities media = Workflow.newActivityStub(MediaActivities.class, JobOptions.forResources(job.spec().resources()));
      JobOutcome[] result = new JobOutcome[1];
      CancellationScope scope = Workflow.newCancellationScope(() -> result[0] = media.run(job));
      running.put(job.jobId(), scope);
      JobOutcome outcome;
      try {
        scope.run();
        outcome = result[0];
      } catch (ActivityFailure f) {
        outcome = failed(job, f, started);
      } catch (CanceledFailure c) {
        outcome = ended(job, JobState.CANCELLED, ErrorCode.CANCELLED.name(), "cancelled", 0, Instant.ofEpochMilli(started));
      } finally {
        running.remove(job.jobId());
      }
      records.finished(outcome);
      return outcome;
    } finally {
      active--;
    }
  }

  private JobOutcome failed(JobRequest job, ActivityFailure f, long started) {
    Throwable cause = f.getCause();
    if (cause instanceof CanceledFailure) {
      return ended(job, JobState.CANCELLED, ErrorCode.CANCELLED.name(), "cancelled", 0, Instant.ofEpochMilli(started));
    }
    if (cause instanceof ApplicationFailure af) {
      FailureDetails d = af.getDetails().getSize() == 0 ? null : af.getDetails().get(FailureDetails.class);
      String code = af.getType();
      JobState state = ErrorCode.CANCELLED.name().equals(code) ? JobState.CANCELLED : JobState.FAILED;
      JobOutcome o = ended(job, state, code, af.getOriginalMessage(), d == null ? 0 : d.attempt(),
          d == null || d.startedAt() == null ? Instant.ofEpochMilli(started) : Instant.parse(d.startedAt()));
      return d == null || d.metrics() == null ? o : withMetrics(o, d);
    }
    if (cause instanceof TimeoutFailure t) {
      return ended(job, JobState.FAILED, ErrorCode.TIMEOUT.name(),
          "worker stopped responding (" + t.getTimeoutType() + ")", 0, Instant.ofEpochMilli(started));
    }
    return ended(job, JobState.FAILED, ErrorCode.JOB_FAILED.name(), String.valueOf(cause == null ? f.getMessage() : cause.getMessage()),
        0, Instant.ofEpochMilli(started));
  }

  private static JobOutcome withMetrics(JobOutcome o, FailureDetails d) {
    return new JobOutcome(o.jobId(), o.batchId(), o.index(), o.type(), o.input(), o.output(), o.state(),
        o.errorCode(), o.error(), o.attempts(), o.startedAt(), o.finishedAt(), d.metrics(), 0, null, Map.of());
  }

  private static JobOutcome ended(JobRequest job, JobState state, String code, String message, int attempts, Instant started) {
    return new JobOutcome(job.jobId(), job.batchId(), job.index(), job.spec().type(), job.spec().input(),
        job.spec().output(), state, code, message, attempts, started, Instant.ofEpochMilli(Workflow.currentTimeMillis()),
        null, 0, null, Map.of());
  }

  @Override
  public void cancelJob(String jobId) {
    cancelled.add(jobId);
    CancellationScope scope = running.get(jobId);
    if (scope != null) {
      scope.cancel("cancelled by request");
    }
  }

  @Override
  public void cancelAll() {
    cancelAll = true;
    running.values().forEach(s -> s.cancel("batch cancelled"));
  }
}
