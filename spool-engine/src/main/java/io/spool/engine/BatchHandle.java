package io.spool.engine;

import io.spool.engine.internal.BatchWorkflow;
import io.spool.engine.internal.HeartbeatDetails;
import io.spool.media.CancelledException;
import io.spool.media.internal.ExitCleanup;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.GlobalDataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A submitted batch, as its submitter (or anyone who attaches to it later) follows it: outcomes as
 * they finish, read from the job store; progress of running jobs, read from Temporal's heartbeats;
 * cancel, sent to the batch's workflow. It holds nothing the batch needs to finish: the workflow
 * runs on whatever coordinator hosts it, and ends whether or not anyone is following.
 */
public final class BatchHandle {
  /** How often a follower in another process than the coordinator looks for ended jobs. */
  private static final long POLL_MILLIS = 25;
  /** How long an interrupted submitter waits for a shared service to record its batch's jobs as cancelled. */
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(15);
  /** How often a follower asks whether the batch's workflow has ended without finishing it. */
  private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private final SpoolEngine engine;
  private final String batchId;
  private final List<String> jobIds;
  private final Map<String, Integer> indexOf = new HashMap<>();
  private final Object wake = new Object();
  private final Consumer<JobRecord> listener;
  /** Outcomes read from the store and not yet taken, and where the store's feed was left. */
  private final Deque<JobOutcome> ready = new ArrayDeque<>();
  private long cursor;
  /** How many of the batch's jobs the store said have ended. */
  private int seen;
  private BatchRecord result;
  /** When {@link #checkWorkflow} asks next ({@link System#nanoTime}). */
  private long nextCheck = System.nanoTime() + CHECK_EVERY.toNanos();
  private final ExitCleanup.Registration onExit;

  BatchHandle(SpoolEngine engine, String batchId, List<String> jobIds) {
    this.engine = engine;
    this.batchId = batchId;
    this.jobIds = List.copyOf(jobIds);
    for (int i = 0; i < this.jobIds.size(); i++) {
      indexOf.put(this.jobIds.get(i), i);
    }
    // In the coordinator's own process a change wakes the follower at once; elsewhere it polls.
    this.listener = r -> {
      if (batchId.equals(r.batchId()) && r.state().terminal()) {
        synchronized (wake) {
          wake.notifyAll();
        }
      }
    };
    engine.store().addListener(listener);
    this.onExit = ExitCleanup.register(ExitCleanup.Phase.RECORD_STATE, this::stopped);
  }

  /**
   * At exit (Ctrl-C, SIGTERM) of the process following the batch. An embedded engine ends with the
   * process: once every ffmpeg has been ended, the jobs that had not finished and the batch are
   * recorded as cancelled, so that no record claims to be running for a process that is gone. On
   * a shared service the batch is cancelled there and its jobs' records are awaited (briefly), so
   * that Ctrl-C stops what the command submitted, as it does when embedded.
   */
  private void stopped() {
    if (engine.embedded()) {
      Instant now = Instant.now();
      Map<String, java.util.function.UnaryOperator<JobRecord>> changes = new java.util.LinkedHashMap<>();
      for (String id : jobIds) {
        changes.put(id, r -> r.state().terminal() ? r : r.withOutcome(interrupted(r, now)));
      }
      engine.store().updateEach(changes);
      engine.store().batch(batchId).filter(b -> !b.state().terminal())
          .ifPresent(b -> engine.store().putBatch(b.interrupted(now)));
      return;
    }
    cancel();
    long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
    while (System.nanoTime() < deadline && engine.store().batch(batchId).map(b -> !b.state().terminal()).orElse(false)) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The job of {@code r}, ended because the process running it is stopping. */
  JobOutcome interrupted(JobRecord r, Instant now) {
    return r.interrupted(now, engine.attemptsBegun(r.id()));
  }

  SpoolEngine engine() {
    return engine;
  }

  public String id() {
    return batchId;
  }

  public List<String> jobIds() {
    return jobIds;
  }

  /** Outcomes in the order jobs finish; ends after the last job. */
  public Stream<JobOutcome> asCompleted() {
    Iterator<JobOutcome> it = new Iterator<>() {
      private int taken;

      @Override
      public boolean hasNext() {
        return taken < jobIds.size();
      }

      @Override
      public JobOutcome next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        JobOutcome o = take();
        taken++;
        if (taken == jobIds.size()) {
          detach(); // every job has ended: nothing left to wake for or to cancel at exit
        }
        return o;
      }
    };
    return StreamSupport.stream(Spliterators.spliterator(it, jobIds.size(), 0), false);
  }

  /** The next outcome, waiting for it. */
  private JobOutcome take() {
    while (true) {
      synchronized (wake) {
        if (ready.isEmpty()) {
          fetch();
        }
        if (!ready.isEmpty()) {
          return ready.poll();
        }
        try {
          wake.wait(POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancelledException("interrupted while waiting for results");
        }
      }
      checkWorkflow();
    }
  }

  /**
   * While waiting, about once a second: where the batch's workflow has ended without finishing it
   * (it failed for good, or was terminated), the batch and its unfinished jobs are recorded as
   * failed, and their ends arrive like any other. (Not while holding {@link #wake}: it asks the
   * Temporal service.)
   */
  private void checkWorkflow() {
    long now = System.nanoTime();
    if (now - nextCheck < 0) {
      return;
    }
    nextCheck = now + CHECK_EVERY.toNanos();
    try {
      engine.checkedBatch(batchId);
    } catch (RuntimeException e) {
      // the store or the service is busy or gone for now: next time
    }
  }

  /** Reads the jobs that ended since the last read. Called holding {@link #wake}. */
  private void fetch() {
    JobStore.Ended e = engine.store().endedSince(batchId, cursor);
    cursor = e.cursor();
    seen += e.jobs().size();
    e.jobs().stream().map(JobRecord::outcome).filter(java.util.Objects::nonNull).forEach(ready::add);
  }

  /** Outcomes in submission order, each as soon as it and all before it have finished. */
  public Stream<JobOutcome> inOrder() {
    Iterator<JobOutcome> completed = asCompleted().iterator();
    Iterator<JobOutcome> it = new Iterator<>() {
      private final TreeMap<Integer, JobOutcome> buffer = new TreeMap<>();
      private int next;

      @Override
      public boolean hasNext() {
        return next < jobIds.size();
      }

      @Override
      public JobOutcome next() {
        while (!buffer.containsKey(next)) {
          JobOutcome o = completed.next();
          buffer.put(o.index(), o);
        }
        return buffer.remove(next++);
      }
    };
    return StreamSupport.stream(Spliterators.spliterator(it, jobIds.size(), 0), false);
  }

  /** Jobs running now, with their latest heartbeat progress and the worker running each. */
  public List<RunningJob> running() {
    WorkflowClient client = engine.client();
    List<RunningJob> out = new ArrayList<>();
    DescribeWorkflowExecutionResponse top = describe(client, batchId);
    if (top == null) {
      return out;
    }
    List<DescribeWorkflowExecutionResponse> runners = new ArrayList<>();
    runners.add(top);
    for (PendingChildExecutionInfo child : top.getPendingChildrenList()) {
      DescribeWorkflowExecutionResponse d = describe(client, child.getWorkflowId());
      if (d != null) {
        runners.add(d);
      }
    }
    for (DescribeWorkflowExecutionResponse r : runners) {
      for (PendingActivityInfo pa : r.getPendingActivitiesList()) {
        if (pa.hasHeartbeatDetails()) {
          HeartbeatDetails d = GlobalDataConverter.get().fromPayloads(0, Optional.of(pa.getHeartbeatDetails()),
              HeartbeatDetails.class, HeartbeatDetails.class);
          out.add(new RunningJob(d.jobId(), Math.max(d.attempt(), pa.getAttempt()), d.fraction(), d.speed(), d.etaMillis(),
              WorkerRef.fromIdentity(pa.getLastWorkerIdentity()).orElse(null)));
        }
      }
    }
    return out;
  }

  private static DescribeWorkflowExecutionResponse describe(WorkflowClient client, String workflowId) {
    try {
      return client.getWorkflowServiceStubs().blockingStub()
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build())
              .build());
    } catch (RuntimeException e) {
      return null; // ended and gone, or the service is restarting: nothing of it is running
    }
  }

  /**
   * Cancels every unfinished job; running ffmpeg processes are ended. A job that was handing in
   * its outcome at that moment keeps it.
   */
  public void cancel() {
    try {
      engine.client().newWorkflowStub(BatchWorkflow.class, batchId).cancelAll();
    } catch (RuntimeException e) {
      // the batch has ended, or its service cannot be reached: nothing runs that a cancel would stop
    }
  }

  /** Cancels one job of this batch, unless it is handing in its outcome already. */
  public void cancel(String jobId) {
    Integer index = indexOf.get(jobId);
    if (index == null) {
      return;
    }
    try {
      engine.client().newWorkflowStub(BatchWorkflow.class, batchId).cancelJob(jobId, index);
    } catch (RuntimeException e) {
      // as above
    }
  }

  /**
   * Stops following: the batch goes on without this process (on a shared service), and this
   * process's exit no longer cancels it.
   */
  public void detach() {
    onExit.close();
    engine.store().removeListener(listener);
  }

  /** The batch's record as it is now. */
  public BatchRecord record() {
    return engine.store().batch(batchId).orElseThrow(() -> new IllegalStateException("batch " + batchId + " has no record"));
  }

  /** Waits for the batch to end and returns its final record. */
  public BatchRecord await() {
    while (true) {
      synchronized (wake) {
        if (result != null) {
          break;
        }
        // The batch's record ends right after its last job: until then the cheap feed is watched.
        if (seen < jobIds.size()) {
          fetch();
        }
        BatchRecord b = seen < jobIds.size() ? null : record();
        if (b != null && b.state().terminal()) {
          result = b;
          break;
        }
        try {
          wake.wait(seen < jobIds.size() ? POLL_MILLIS : 10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancelledException("interrupted while waiting for the batch to end");
        }
      }
      checkWorkflow();
    }
    onExit.close();
    engine.store().removeListener(listener);
    synchronized (wake) {
      return result;
    }
  }
}
