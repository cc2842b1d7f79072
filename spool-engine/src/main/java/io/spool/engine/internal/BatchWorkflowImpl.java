package io.spool.engine.internal;

import io.spool.engine.JobOutcome;
import io.spool.engine.JobState;
import io.spool.media.ErrorCode;
import io.spool.media.Metrics;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the jobs of a batch in order, at most {@code concurrency} at a time, from one workflow
 * thread: it hands jobs to the task queue (up to the plan's window and cores), waits for any to
 * finish, records what changed in one local activity per step, and repeats. (A thread per job
 * would make every step cost as much as the number of running jobs.)
 */
public class BatchWorkflowImpl implements BatchWorkflow {
  private final RecordActivities records = Workflow.newLocalActivityStub(RecordActivities.class, JobOptions.records());
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Set<String> cancelled = new HashSet<>();
  /** Jobs whose records say running. */
  private final Set<String> marked = new HashSet<>();
  private boolean cancelAll;
  private BatchPlan plan;
  /** The cores that the jobs handed over ask for together. */
  private int busyCores;

  private record Running(JobRequest job, Promise<JobOutcome> outcome, CancellationScope scope) {}

  @Override
  public BatchTally run(BatchPlan plan) {
    this.plan = plan;
    Deque<JobRequest> queue = new ArrayDeque<>(plan.jobs());
    marked.addAll(plan.marked());
    int ok = 0;
    int failed = 0;
    int stopped = 0;
    while (!queue.isEmpty() || !running.isEmpty()) {
      List<String> started = new ArrayList<>();
      List<JobOutcome> ended = new ArrayList<>();
      while (!queue.isEmpty() && running.size() < plan.window()) {
        JobRequest job = queue.peek();
        if (cancelAll || cancelled.contains(job.jobId())) {
          ended.add(ended(queue.poll(), JobState.CANCELLED, ErrorCode.CANCELLED.name(), "cancelled before it started", 0, null, null));
        } else if (plan.fits(busyCores, job)) {
          start(queue.poll());
        } else {
          break;
        }
      }
      // The queue hands jobs out in the order they were given to it, so the first `concurrency`
      // unfinished ones are the ones running; the rest of the window is waiting.
      for (String id : running.keySet().stream().limit(plan.concurrency()).toList()) {
        if (marked.add(id)) {
          started.add(id);
        }
      }
      if (!started.isEmpty()) {
        records.started(started, Workflow.currentTimeMillis());
      }
      if (!running.isEmpty()) {
        Promise.anyOf(running.values().stream().map(Running::outcome).toList()).get();
        for (Running r : new ArrayList<>(running.values())) {
          if (r.outcome().isCompleted()) {
            running.remove(r.job().jobId());
            busyCores -= plan.coresOf(r.job());
            ended.add(r.outcome().get());
          }
        }
      }
      if (!ended.isEmpty()) {
        records.finished(ended);
      }
      for (JobOutcome o : ended) {
        switch (o.state()) {
          case SUCCEEDED -> ok++;
          case CANCELLED -> stopped++;
          default -> failed++;
        }
      }
    }
    return new BatchTally(ok, failed, stopped);
  }

  /** Starts one job in its own cancellation scope; its promise always completes with an outcome. */
  private void start(JobRequest job) {
    long startedAt = Workflow.currentTimeMillis();
    MediaActivities media = Workflow.newActivityStub(MediaActivities.class, JobOptions.forResources(job.spec().resources()));
    List<Promise<JobOutcome>> holder = new ArrayList<>(1);
    CancellationScope scope = Workflow.newCancellationScope(() -> holder.add(Async.function(media::run, job)));
    scope.run();
    Promise<JobOutcome> outcome = holder.get(0).handle((o, failure) -> failure == null ? o : failed(job, failure, startedAt));
    running.put(job.jobId(), new Running(job, outcome, scope));
    busyCores += plan.coresOf(job);
  }

  private JobOutcome failed(JobRequest job, RuntimeException failure, long started) {
    Instant startedAt = Instant.ofEpochMilli(started);
    Throwable cause = failure instanceof ActivityFailure f ? f.getCause() : failure;
    if (cause instanceof CanceledFailure) {
      return ended(job, JobState.CANCELLED, ErrorCode.CANCELLED.name(), "cancelled", 0, startedAt, null);
    }
    if (cause instanceof ApplicationFailure af) {
      FailureDetails d = af.getDetails().getSize() == 0 ? null : af.getDetails().get(FailureDetails.class);
      String code = af.getType();
      JobState state = ErrorCode.CANCELLED.name().equals(code) ? JobState.CANCELLED : JobState.FAILED;
      return ended(job, state, code, af.getOriginalMessage(), d == null ? 0 : d.attempt(),
          d == null || d.startedAt() == null ? startedAt : Instant.parse(d.startedAt()), d == null ? null : d.metrics());
    }
    if (cause instanceof TimeoutFailure t) {
      return ended(job, JobState.FAILED, ErrorCode.TIMEOUT.name(),
          "worker stopped responding (" + t.getTimeoutType() + ")", 0, startedAt, null);
    }
    return ended(job, JobState.FAILED, ErrorCode.JOB_FAILED.name(),
        String.valueOf(cause == null ? failure.getMessage() : cause.getMessage()), 0, startedAt, null);
  }

  /** A job that ended without a result; {@code used} is what its attempts used, where they said. */
  private static JobOutcome ended(JobRequest job, JobState state, String code, String message, int attempts, Instant started,
      Metrics used) {
    return new JobOutcome(job.jobId(), job.batchId(), job.index(), job.spec().type(), job.spec().input(),
        job.spec().output(), state, code, message, attempts, started, Instant.ofEpochMilli(Workflow.currentTimeMillis()),
        used, 0, null, Map.of(), List.of());
  }

  @Override
  public void cancelJob(String jobId) {
    cancelled.add(jobId);
    Running r = running.get(jobId);
    if (r != null) {
      r.scope().cancel("cancelled by request");
    }
  }

  @Override
  public void cancelAll(List<String> except) {
    cancelAll = true;
    Set<String> ending = new HashSet<>(except);
    running.values().stream().filter(r -> !ending.contains(r.job().jobId())).forEach(r -> r.scope().cancel("batch cancelled"));
  }
}
