package io.spool.engine;

import io.spool.engine.internal.BatchPlan;
import io.spool.engine.internal.BatchTally;
import io.spool.engine.internal.BatchWorkflow;
import io.spool.engine.internal.HeartbeatDetails;
import io.spool.engine.internal.JobRequest;
import io.spool.media.internal.ExitCleanup;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.GlobalDataConverter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A running batch: stream its outcomes as they finish, watch progress, cancel it or single jobs,
 * await its end. Cancel requests written by {@code spool jobs cancel} from another process are
 * picked up within a second.
 */
public final class BatchHandle {
  private final SpoolEngine engine;
  private final String batchId;
  private final List<String> jobIds;
  private final BlockingQueue<JobOutcome> finished = new LinkedBlockingQueue<>();
  private final Set<String> seen = new HashSet<>();
  private final Consumer<JobRecord> listener;
  private final List<BatchPlan> chunks;
  /** Whether the next chunk's workflow may start before the one before has ended. */
  private final boolean overlap;
  /** Jobs asked to stop; those of chunks not yet started never start. */
  private final Set<String> cancelledJobs = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelAll;
  /** On cancelling the batch: the jobs whose outcomes were already on their way. */
  private volatile List<String> endingAtCancel = List.of();
  private final Object cancelLock = new Object();
  /** The chunks' workflows running now, by id (two at a time where chunks overlap). */
  private final Map<String, BatchWorkflow> live = new ConcurrentHashMap<>();
  /** Jobs finished per chunk. */
  private final AtomicIntegerArray finishedIn;
  private static final long HANDED_OUT_POLL_MILLIS = 20;
  private final CompletableFuture<BatchTally> tally = new CompletableFuture<>();
  private volatile BatchRecord result;
  private final Thread cancelWatcher;
  private final Thread driver;
  private final ExitCleanup.Registration onExit;

  BatchHandle(SpoolEngine engine, String batchId, List<String> jobIds, List<BatchPlan> chunks, boolean overlap) {
    this.engine = engine;
    this.batchId = batchId;
    this.jobIds = List.copyOf(jobIds);
    this.chunks = List.copyOf(chunks);
    this.overlap = overlap;
    this.finishedIn = new AtomicIntegerArray(chunks.size());
    int chunkJobs = chunks.isEmpty() ? 1 : chunks.get(0).jobs().size();
    this.listener = r -> {
      if (batchId.equals(r.batchId()) && r.state().terminal() && r.outcome() != null) {
        engine.gate().settled(r.id());
        synchronized (seen) {
          if (seen.add(r.id())) {
            finishedIn.incrementAndGet(Math.min(chunks.size() - 1, r.index() / chunkJobs));
            finished.add(r.outcome());
          }
        }
      }
    };
    engine.store().addListener(listener);
    this.cancelWatcher = new Thread(this::watchCancelRequests, "spool-cancel-watch-" + batchId);
    cancelWatcher.setDaemon(true);
    this.driver = new Thread(this::drive, "spool-batch-" + batchId);
    driver.setDaemon(true);
    this.onExit = ExitCleanup.register(ExitCleanup.Phase.RECORD_STATE, this::recordInterrupted);
  }

  /**
   * At exit (Ctrl-C, SIGTERM), once every ffmpeg has been ended: the jobs that had not finished
   * and the batch are recorded as cancelled, so that no record claims to be running for a
   * process that is gone.
   */
  private void recordInterrupted() {
    Instant now = Instant.now();
    for (String id : jobIds) {
      engine.store().update(id, r -> r.state().terminal() ? r : r.withOutcome(interrupted(r, now)));
    }
    engine.store().batch(batchId).filter(b -> !b.state().terminal())
        .ifPresent(b -> engine.store().putBatch(b.interrupted(now)));
  }

  /** The job of {@code r}, ended because this process is stopping, with the attempts it began here. */
  JobOutcome interrupted(JobRecord r, Instant now) {
    return r.interrupted(now, engine.gate().attempts(r.id()));
  }

  void start() {
    cancelWatcher.start();
    driver.start();
  }

  /**
   * Runs the chunks' workflows in turn (a batch of up to one chunk is one workflow, with the
   * batch's id). Where the worker's capacity is the limit (jobs wait in the task queue for free
   * worker slots), the next chunk starts as soon as every job left in the one before is running,
   * so that its jobs are queued behind the last ones of that chunk and no core idles while those
   * finish (two chunks at a time at most). Otherwise (a {@code --concurrency} limit,
   * which two workflows would exceed together, or jobs of several cores) a chunk starts when the
   * one before has ended. A chunk whose workflow fails has its unfinished jobs failed with it
   * rather than waiting forever; the next chunk still runs.
   */
  private void drive() {
    List<CompletableFuture<BatchTally>> ends = new ArrayList<>();
    int stoppedBeforeStart = 0;
    try {
      for (int k = 0; k < chunks.size(); k++) {
        if (k > 1) {
          ends.get(k - 2).join(); // two workflows at a time at most
        }
        if (k > 0) {
          awaitHandedOut(k - 1, ends.get(k - 1));
        }
        BatchPlan plan = chunks.get(k);
        List<JobRequest> todo = new ArrayList<>();
        for (JobRequest j : plan.jobs()) {
          if (cancelAll || cancelledJobs.contains(j.jobId())) {
            recordCancelledBeforeStart(j.jobId());
            stoppedBeforeStart++;
          } else {
            todo.add(j);
          }
        }
        if (todo.isEmpty()) {
          ends.add(CompletableFuture.completedFuture(new BatchTally(0, 0, 0)));
          continue;
        }
        String id = k == 0 ? batchId : batchId + "." + (k + 1);
        BatchWorkflow stub = engine.client().newWorkflowStub(BatchWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(SpoolEngine.CONTROL_QUEUE).setWorkflowId(id).build());
        WorkflowClient.start(stub::run, new BatchPlan(batchId, todo, plan.concurrency(), plan.window(), plan.cores(), plan.marked()));
        live.put(id, stub);
        // A cancel that came while this chunk was starting is passed on now.
        if (cancelAll) {
          signal(stub, w -> w.cancelAll(endingAtCancel));
        }
        todo.stream().filter(j -> cancelledJobs.contains(j.jobId())).forEach(j -> signal(stub, w -> w.cancelJob(j.jobId())));
        ends.add(WorkflowStub.fromTyped(stub).getResultAsync(BatchTally.class)
            .handle((t, e) -> e == null ? t : failUnfinished(todo, e instanceof CompletionException ce ? ce.getCause() : e))
            .whenComplete((t, e) -> live.remove(id)));
      }
      int ok = 0;
      int failed = 0;
      int stopped = stoppedBeforeStart;
      for (CompletableFuture<BatchTally> end : ends) {
        BatchTally t = end.join();
        ok += t.succeeded();
        failed += t.failed();
        stopped += t.cancelled();
      }
      tally.complete(new BatchTally(ok, failed, stopped));
    } catch (RuntimeException e) {
      tally.completeExceptionally(e);
    } finally {
      cancelWatcher.interrupt();
      forgetCancelRequests();
      engine.gate().forget(batchId, jobIds);
    }
  }

  /**
   * Waits until chunk {@code k} has ended or, where chunks overlap, until none of its jobs waits
   * for a worker slot any more (as many are unfinished as run at once): the next chunk's first
   * jobs then take the slots these free. (Its records say those jobs run from its start, a job's
   * length early at most.)
   */
  private void awaitHandedOut(int k, CompletableFuture<BatchTally> end) {
    BatchPlan plan = chunks.get(k);
    if (overlap) {
      try {
        while (!end.isDone() && plan.jobs().size() - finishedIn.get(k) > plan.concurrency()) {
          Thread.sleep(HANDED_OUT_POLL_MILLIS);
        }
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    end.join();
  }

  /** Requests that came for jobs of this batch after they had ended are void now. */
  private void forgetCancelRequests() {
    try {
      Set<String> ours = new HashSet<>(jobIds);
      engine.store().cancelRequests().stream().filter(ours::contains).forEach(engine.store()::clearCancelRequest);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(BatchHandle.class).debug("cancel requests of batch {} not cleared", batchId, e);
    }
  }

  private void recordCancelledBeforeStart(String id) {
    Instant now = Instant.now();
    engine.store().update(id, r -> r.state().terminal() ? r : r.withOutcome(r.interrupted(now, "cancelled before it started")));
  }

  /** If a batch workflow itself fails, its unfinished jobs fail with it; returns how its jobs ended. */
  private BatchTally failUnfinished(List<JobRequest> jobs, Throwable error) {
    Instant now = Instant.now();
    int ok = 0;
    int failed = 0;
    int stopped = 0;
    for (JobRequest j : jobs) {
      String id = j.jobId();
      JobRecord r = engine.store().update(id, x -> x.state().terminal() ? x : x.withOutcome(x.endedBefore(
          JobState.FAILED, io.spool.media.ErrorCode.JOB_FAILED.name(), "the batch workflow failed: " + error.getMessage(), now)));
      switch (r.state()) {
        case SUCCEEDED -> ok++;
        case CANCELLED -> stopped++;
        default -> failed++;
      }
    }
    return new BatchTally(ok, failed, stopped);
  }

  /** Signals a chunk's workflow; one that has already ended needs nothing more. */
  private static void signal(BatchWorkflow stub, Consumer<BatchWorkflow> signal) {
    try {
      signal.accept(stub);
    } catch (WorkflowException e) {
      // ended in the meantime
    }
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
        try {
          taken++;
          return finished.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new io.spool.media.CancelledException("interrupted while waiting for results");
        }
      }
    };
    return StreamSupport.stream(Spliterators.spliterator(it, jobIds.size(), 0), false);
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

  /** Jobs running now, with their latest heartbeat progress. */
  public List<RunningJob> running() {
    WorkflowClient client = engine.client();
    List<RunningJob> out = new ArrayList<>();
    for (String workflowId : new TreeSet<>(live.keySet())) {
      try {
        DescribeWorkflowExecutionResponse r = client.getWorkflowServiceStubs().blockingStub()
            .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build())
                .build());
        for (PendingActivityInfo pa : r.getPendingActivitiesList()) {
          if (pa.hasHeartbeatDetails()) {
            HeartbeatDetails d = GlobalDataConverter.get().fromPayloads(0, Optional.of(pa.getHeartbeatDetails()),
                HeartbeatDetails.class, HeartbeatDetails.class);
            out.add(new RunningJob(d.jobId(), Math.max(d.attempt(), pa.getAttempt()), d.fraction(), d.speed(), d.etaMillis()));
          }
        }
      } catch (RuntimeException e) {
        // that workflow has ended or the service is shutting down: nothing of it is running
      }
    }
    return out;
  }

  /**
   * Cancels every unfinished job; running ffmpeg processes are ended. A job that was handing in
   * its outcome at that moment keeps it.
   */
  public void cancel() {
    synchronized (cancelLock) {
      if (cancelAll || tally.isDone()) {
        return;
      }
      endingAtCancel = engine.gate().cancelBatch(batchId);
      cancelAll = true;
    }
    List<String> except = endingAtCancel;
    live.values().forEach(w -> signal(w, x -> x.cancelAll(except)));
  }

  /** Cancels one job of this batch, unless it is handing in its outcome already. */
  public void cancel(String jobId) {
    if (tally.isDone() || !jobIds.contains(jobId) || !engine.gate().cancel(jobId)) {
      return;
    }
    cancelledJobs.add(jobId);
    live.values().forEach(w -> signal(w, x -> x.cancelJob(jobId)));
  }

  /** Waits for the batch to end and returns its final record. */
  public synchronized BatchRecord await() {
    if (result != null) {
      return result;
    }
    BatchTally tally;
    try {
      tally = this.tally.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
    onExit.close();
    cancelWatcher.interrupt();
    engine.store().removeListener(listener);
    JobCost cost = JobCost.ZERO;
    for (String id : jobIds) {
      Optional<JobRecord> r = engine.store().job(id);
      if (r.isPresent() && r.get().outcome() != null) {
        cost = cost.plus(r.get().outcome().cost());
      }
    }
    BatchRecord before = engine.store().batch(batchId).orElseThrow();
    JobState state = tally.failed() > 0 ? JobState.FAILED
        : tally.cancelled() > 0 ? JobState.CANCELLED : JobState.SUCCEEDED;
    result = before.ended(state, Instant.now(), tally.succeeded(), tally.failed(), tally.cancelled(), cost);
    engine.store().putBatch(result);
    return result;
  }

  private void watchCancelRequests() {
    Set<String> ours = new HashSet<>(jobIds);
    Set<String> asked = new HashSet<>();
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(500);
        for (String id : engine.store().cancelRequests()) {
          if (ours.contains(id) && asked.add(id)) {
            engine.store().clearCancelRequest(id);
            if (!isFinished(id)) {
              cancel(id);
            }
          }
        }
      }
    } catch (InterruptedException e) {
      // batch over
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(BatchHandle.class).warn("cancel requests of batch {} are no longer watched", batchId, e);
    }
  }

  private boolean isFinished(String id) {
    synchronized (seen) {
      return seen.contains(id);
    }
  }
}
