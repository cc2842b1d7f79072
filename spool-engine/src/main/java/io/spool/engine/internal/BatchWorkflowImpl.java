package io.spool.engine.internal;

import io.spool.engine.BatchRecord;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobState;
import io.spool.engine.SpoolEngine;
import io.spool.media.ErrorCode;
import io.spool.media.Metrics;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a batch. A range of up to one chunk runs its jobs from one workflow thread: it hands jobs
 * to the task queue (up to the plan's window and cores), waits for any to finish, records what
 * changed in one local activity per step, and repeats (a thread per job would make every step
 * cost as much as the number of running jobs). A larger range runs its chunks as child
 * workflows, two at a time at most: where the plan lets chunks overlap, the next starts as soon
 * as the one before has handed out all its jobs, so that no core idles while its last jobs run.
 */
public class BatchWorkflowImpl implements BatchWorkflow {
  /** Job requests read from the records per local activity, which keeps each marker small. */
  static final int PAGE = 250;
  /**
   * How long a cancelled job that was handed out may take to end itself: a running attempt asks
   * whether it was cancelled every second and ends within this (ffmpeg is given 2 s to stop). One that
   * has not ended by then is not running (it waits in the task queue, or for its next attempt): it
   * is recorded as cancelled, and an attempt that starts later learns so at once and does nothing.
   */
  static final long CANCEL_GRACE_MILLIS = 6000;

  private final RecordActivities records = Workflow.newLocalActivityStub(RecordActivities.class, JobOptions.records());
  private BatchStart start;
  private BatchRecord.Plan plan;
  private boolean cancelAll;
  private final Set<String> cancelled = new HashSet<>();
  /** Handed-out jobs asked to stop, with when they were asked. */
  private final Map<String, Long> cancelledAt = new HashMap<>();
  /** Bumped by every cancel, so that a step waiting on its jobs wakes up to it. */
  private int cancels;
  // A range run here:
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Set<String> marked = new HashSet<>();
  private int busyCores;
  // A range run as chunks: the chunks started and not yet ended, and those that handed out all their jobs.
  private final Map<Integer, Promise<BatchTally>> chunks = new HashMap<>();
  private final Map<String, Integer> cancelledIndex = new HashMap<>();
  private final Set<Integer> handedOut = new HashSet<>();

  private record Running(JobRequest job, Promise<JobOutcome> outcome) {}

  @Override
  public BatchTally run(BatchStart s) {
    this.start = s;
    this.plan = s.plan();
    this.cancelAll |= s.cancelAll();
    cancelled.addAll(s.cancelled());
    try {
      BatchTally tally = s.size() <= plan.chunkJobs() ? runJobs() : runChunks();
      if (s.parentId() == null) {
        records.batchEnded(s.batchId());
      }
      return tally;
    } catch (TemporalFailure e) {
      if (s.parentId() == null && !(e instanceof CanceledFailure)) {
        markFailed(e);
      }
      throw e;
    }
  }

  /**
   * The batch's workflow is about to fail for good (a record that could not be written however
   * often it was tried, say): the batch is recorded as failed, so that no one waits for it. (A
   * chunk's failure is settled by the batch's workflow; see {@link #settle}.) Where the store
   * fails this too, followers find the workflow ended and record it themselves.
   */
  private void markFailed(TemporalFailure e) {
    try {
      records.batchFailed(start.batchId(), "its workflow failed: " + reason(e));
    } catch (TemporalFailure again) {
      // left to those who follow the batch
    }
  }

  /** What a failure says, on one line: the message of the code that failed, where it came from an activity. */
  private static String reason(Throwable e) {
    String why = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure af) {
        why = af.getOriginalMessage();
        break;
      }
      String m = t instanceof TemporalFailure f ? f.getOriginalMessage() : t.getMessage();
      why = m == null || m.isBlank() ? why : m;
    }
    return why == null ? e.getClass().getSimpleName() : why.lines().findFirst().orElse(why).strip();
  }

  private BatchTally runJobs() {
    Deque<JobRequest> queue = new ArrayDeque<>();
    int next = start.from();
    marked.addAll(start.marked());
    boolean toldParent = start.parentId() == null || !plan.overlap();
    BatchTally tally = BatchTally.NONE;
    while (true) {
      while (queue.size() < plan.window() && next < start.to()) {
        int upto = Math.min(start.to(), next + PAGE);
        queue.addAll(records.load(start.batchId(), next, upto, start.restarted()));
        next = upto;
      }
      if (queue.isEmpty() && running.isEmpty()) {
        return tally;
      }
      List<JobOutcome> ended = new ArrayList<>();
      while (!queue.isEmpty() && running.size() < plan.window()) {
        JobRequest job = queue.peek();
        if (cancelAll || cancelled.contains(job.jobId())) {
          ended.add(ended(queue.poll(), JobState.CANCELLED, ErrorCode.CANCELLED.name(), "cancelled before it started", 0, null,
              null));
        } else if (fits(job)) {
          start(queue.poll());
        } else {
          break;
        }
      }
      // The queue hands jobs out in the order they were given to it, so the first `concurrency`
      // unfinished ones are the ones running; the rest of the window is waiting.
      List<String> started = new ArrayList<>();
      for (String id : running.keySet().stream().limit(plan.concurrency()).toList()) {
        if (marked.add(id)) {
          started.add(id);
        }
      }
      if (!started.isEmpty()) {
        records.started(started, Workflow.currentTimeMillis());
      }
      if (!toldParent && queue.isEmpty() && next >= start.to() && running.size() <= plan.concurrency()) {
        toldParent = true;
        BatchWorkflow parent = Workflow.newExternalWorkflowStub(BatchWorkflow.class, start.parentId());
        Async.procedure(parent::chunkHandedOut, start.chunk());
      }
      if (!running.isEmpty()) {
        awaitStep();
        long now = Workflow.currentTimeMillis();
        for (Running r : new ArrayList<>(running.values())) {
          Long asked = cancelledAt.get(r.job().jobId());
          if (r.outcome().isCompleted()) {
            ended.add(r.outcome().get());
          } else if (asked != null && now >= asked + CANCEL_GRACE_MILLIS) {
            ended.add(ended(r.job(), JobState.CANCELLED, ErrorCode.CANCELLED.name(), "cancelled while waiting for a worker",
                0, null, null));
          } else {
            continue;
          }
          running.remove(r.job().jobId());
          cancelledAt.remove(r.job().jobId());
          busyCores -= coresOf(r.job());
        }
      }
      if (!ended.isEmpty()) {
        records.finished(ended);
        for (JobOutcome o : ended) {
          tally = tally.plus(new BatchTally(o.state() == JobState.SUCCEEDED ? 1 : 0,
              o.state() == JobState.FAILED ? 1 : 0, o.state() == JobState.CANCELLED ? 1 : 0));
        }
      }
    }
  }

  /**
   * Waits until a handed-out job has ended, a cancel has come, or a cancelled job's grace has run
   * out.
   */
  private void awaitStep() {
    int seen = cancels;
    long due = cancelledAt.values().stream().mapToLong(t -> t + CANCEL_GRACE_MILLIS).min().orElse(Long.MAX_VALUE);
    if (due == Long.MAX_VALUE) {
      Workflow.await(() -> anyEnded() || cancels != seen);
      return;
    }
    long wait = due - Workflow.currentTimeMillis();
    if (wait > 0) {
      Workflow.await(java.time.Duration.ofMillis(wait), () -> anyEnded() || cancels != seen);
    }
  }

  private boolean anyEnded() {
    for (Running r : running.values()) {
      if (r.outcome().isCompleted()) {
        return true;
      }
    }
    return false;
  }

  /** The cores {@code job} counts for against the plan's cores. */
  private int coresOf(JobRequest job) {
    return Math.min(job.spec().resources().cpu(), plan.cores());
  }

  /** Whether {@code job} may be handed over beside the jobs handed over already. */
  private boolean fits(JobRequest job) {
    return plan.cores() <= 0 || busyCores == 0 || busyCores + coresOf(job) <= plan.cores();
  }

  /** Starts one job; its promise always completes with an outcome. */
  private void start(JobRequest job) {
    long startedAt = Workflow.currentTimeMillis();
    MediaActivities media = Workflow.newActivityStub(MediaActivities.class, JobOptions.forResources(job.spec().resources()));
    Promise<JobOutcome> outcome = Async.function(media::run, job)
        .handle((o, failure) -> failure == null ? o : failed(job, failure, startedAt));
    running.put(job.jobId(), new Running(job, outcome));
    busyCores += coresOf(job);
  }

  private BatchTally runChunks() {
    int size = plan.chunkJobs();
    int count = (start.size() + size - 1) / size;
    List<Promise<BatchTally>> ends = new ArrayList<>();
    BatchTally tally = BatchTally.NONE;
    for (int k = 0; k < count; k++) {
      int from = start.from() + k * size;
      int to = Math.min(start.to(), from + size);
      if (k > 1) {
        tally = tally.plus(settle(ends.get(k - 2), k - 2));
      }
      if (k > 0) {
        int before = k - 1;
        Promise<BatchTally> last = ends.get(before);
        Workflow.await(() -> last.isCompleted() || (plan.overlap() && handedOut.contains(before)));
      }
      if (cancelAll) {
        ends.add(Workflow.newPromise(records.close(start.batchId(), from, to, JobState.CANCELLED.name(),
            ErrorCode.CANCELLED.name(), "cancelled before it started")));
        continue;
      }
      List<String> stopped = cancelledIndex.entrySet().stream().filter(e -> e.getValue() >= from && e.getValue() < to)
          .map(Map.Entry::getKey).sorted().toList();
      BatchWorkflow child = Workflow.newChildWorkflowStub(BatchWorkflow.class, ChildWorkflowOptions.newBuilder()
          .setWorkflowId(BatchStart.chunkId(start.batchId(), k))
          .setTaskQueue(SpoolEngine.CONTROL_QUEUE)
          .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)
          .build());
      Promise<BatchTally> end = Async.function(child::run, new BatchStart(start.batchId(), from, to, plan,
          k == 0 ? start.marked() : List.of(), false, stopped, Workflow.getInfo().getWorkflowId(), k, start.restarted()));
      Workflow.getWorkflowExecution(child).get(); // started: signals can reach it now
      chunks.put(k, end);
      // Cancels that came while it was starting went nowhere: pass them on now.
      BatchWorkflow started = Workflow.newExternalWorkflowStub(BatchWorkflow.class, BatchStart.chunkId(start.batchId(), k));
      if (cancelAll) {
        Async.procedure(started::cancelAll);
      } else {
        cancelledIndex.entrySet().stream().filter(e -> e.getValue() >= from && e.getValue() < to && !stopped.contains(e.getKey()))
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> Async.procedure(started::cancelJob, e.getKey(), e.getValue()));
      }
      ends.add(end);
    }
    for (int k = Math.max(0, count - 2); k < count; k++) {
      tally = tally.plus(settle(ends.get(k), k));
    }
    return tally;
  }

  /** How chunk {@code k} ended; if its workflow itself failed, its unfinished jobs fail with it. */
  private BatchTally settle(Promise<BatchTally> end, int k) {
    try {
      return end.get();
    } catch (RuntimeException e) {
      int from = start.from() + k * plan.chunkJobs();
      return records.close(start.batchId(), from, Math.min(start.to(), from + plan.chunkJobs()), JobState.FAILED.name(),
          ErrorCode.JOB_FAILED.name(), "the batch workflow failed: " + e.getMessage());
    }
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
      JobOutcome o = ended(job, state, code, af.getOriginalMessage(), d == null ? 0 : d.attempt(),
          d == null || d.startedAt() == null ? startedAt : Instant.parse(d.startedAt()), d == null ? null : d.metrics());
      return d == null ? o : o.withAttemptLog(d.attempts());
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
  public void cancelJob(String jobId, int index) {
    cancelled.add(jobId);
    cancelledIndex.put(jobId, index);
    cancels++;
    if (running.containsKey(jobId)) {
      cancelledAt.putIfAbsent(jobId, Workflow.currentTimeMillis());
    }
    if (start == null) {
      return; // the run begins with it
    }
    int k = (index - start.from()) / Math.max(1, plan.chunkJobs());
    Promise<BatchTally> chunk = chunks.get(k);
    if (start.size() > plan.chunkJobs() && chunk != null && !chunk.isCompleted()) {
      BatchWorkflow child = Workflow.newExternalWorkflowStub(BatchWorkflow.class, BatchStart.chunkId(start.batchId(), k));
      Async.procedure(child::cancelJob, jobId, index);
    }
  }

  @Override
  public void cancelAll() {
    cancelAll = true;
    cancels++;
    long now = Workflow.currentTimeMillis();
    running.keySet().forEach(id -> cancelledAt.putIfAbsent(id, now));
    for (Map.Entry<Integer, Promise<BatchTally>> c : chunks.entrySet()) {
      if (!c.getValue().isCompleted()) {
        BatchWorkflow child = Workflow.newExternalWorkflowStub(BatchWorkflow.class, BatchStart.chunkId(start.batchId(), c.getKey()));
        Async.procedure(child::cancelAll);
      }
    }
  }

  @Override
  public void chunkHandedOut(int chunk) {
    handedOut.add(chunk);
  }

  @Override
  public boolean cancelRequested(String jobId) {
    return cancelAll || cancelled.contains(jobId);
  }
}
