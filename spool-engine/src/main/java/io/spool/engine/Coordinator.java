package io.spool.engine;

import io.spool.engine.internal.BatchStart;
import io.spool.engine.internal.BatchWorkflow;
import io.spool.engine.internal.BatchWorkflowImpl;
import io.spool.engine.internal.RecordActivitiesImpl;
import io.spool.media.PriceTable;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator role: hosts the batch workflows and their bookkeeping (the job store is its
 * system of record), passes on cancel requests that other processes wrote into the store, and,
 * for a shared service, starts again the batches that a restart of the service lost.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  private static final long CANCEL_POLL_MILLIS = 500;
  /**
   * How long {@link #close} waits for the cancel watcher to finish what it is doing: a store write
   * it began waits for another process's lock (up to the store's busy timeout), and a coordinator
   * that has returned from close must not touch the store any more.
   */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(35);

  private final WorkflowClient client;
  private final JobStore store;
  /** Embedded: only batches of this process are ours; otherwise the batches of the shared service. */
  private final boolean embedded;
  private final Thread cancelWatcher;
  private volatile boolean closed;

  private Coordinator(WorkflowClient client, JobStore store, boolean embedded) {
    this.client = client;
    this.store = store;
    this.embedded = embedded;
    this.cancelWatcher = new Thread(this::watchCancelRequests, "spool-cancel-requests");
    cancelWatcher.setDaemon(true);
  }

  /**
   * Registers the coordinator's workflow worker with {@code factory} (whose owner starts it) and
   * starts watching cancel requests. {@code embedded}: the batches are this process's own.
   */
  public static Coordinator register(WorkerFactory factory, JobStore store, PriceTable prices, boolean embedded) {
    Worker control = factory.newWorker(SpoolEngine.CONTROL_QUEUE, WorkerOptions.newBuilder()
        .setMaxConcurrentLocalActivityExecutionSize(64).build());
    control.registerWorkflowImplementationTypes(BatchWorkflowImpl.class);
    control.registerActivitiesImplementations(new RecordActivitiesImpl(store, prices));
    Coordinator c = new Coordinator(factory.getWorkflowClient(), store, embedded);
    c.cancelWatcher.start();
    return c;
  }

  /**
   * Starts again every unfinished batch of the shared service whose workflow the service does not
   * know (it kept them in memory and was restarted): only the jobs not yet ended run, and since
   * outputs are published atomically, a job that was running publishes once. Returns the batches
   * started.
   */
  public List<String> resumeLostBatches() {
    List<String> resumed = new ArrayList<>();
    for (BatchRecord b : store.unfinishedBatches()) {
      if (b.embedded() || running(b.id())) {
        continue;
      }
      try {
        start(client, b.id(), BatchStart.restart(b.id(), b.jobIds().size(), b.plan()));
        resumed.add(b.id());
        LOG.info("batch {} started again: its workflow was lost with the service", b.id());
      } catch (WorkflowExecutionAlreadyStarted e) {
        // another coordinator was quicker
      }
    }
    return resumed;
  }

  private boolean running(String workflowId) {
    try {
      WorkflowExecutionStatus s = client.newUntypedWorkflowStub(workflowId).describe().getStatus();
      return s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (RuntimeException e) {
      return false; // not found
    }
  }

  /** Starts a batch's workflow. */
  static void start(WorkflowClient client, String batchId, BatchStart start) {
    BatchWorkflow w = client.newWorkflowStub(BatchWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(SpoolEngine.CONTROL_QUEUE).setWorkflowId(batchId).build());
    WorkflowClient.start(w::run, start);
  }

  /** Passes cancel requests for jobs of the batches this coordinator runs to their workflows. */
  private void watchCancelRequests() {
    try {
      while (!closed) {
        Thread.sleep(CANCEL_POLL_MILLIS);
        try {
          for (String id : store.cancelRequests()) {
            if (closed) {
              return;
            }
            passOn(id);
          }
        } catch (RuntimeException e) {
          LOG.debug("cancel requests not read this time", e);
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  private void passOn(String jobId) {
    Optional<JobRecord> r = store.job(jobId);
    if (r.isEmpty() || r.get().state().terminal()) {
      store.clearCancelRequest(jobId);
      return;
    }
    Optional<BatchRecord> b = store.batch(r.get().batchId());
    if (b.isEmpty() || b.get().embedded() != embedded
        || (embedded && b.get().coordinatorPid() != ProcessHandle.current().pid())) {
      return; // another process's batch: its coordinator passes it on
    }
    signalCancel(client, r.get());
    store.clearCancelRequest(jobId);
  }

  /** Asks a job's batch workflow to cancel it; a workflow that has ended needs nothing more. */
  static void signalCancel(WorkflowClient client, JobRecord r) {
    try {
      client.newWorkflowStub(BatchWorkflow.class, r.batchId()).cancelJob(r.id(), r.index());
    } catch (RuntimeException e) {
      LOG.debug("batch {} took no cancel of job {}", r.batchId(), r.id(), e);
    }
  }

  /**
   * Stops watching cancel requests; returns once the watcher has finished with the store (or,
   * should another process hold the store longer than the store's own timeout, after
   * {@link #CLOSE_WAIT}, saying so).
   */
  @Override
  public void close() {
    closed = true;
    cancelWatcher.interrupt();
    if (Thread.currentThread() == cancelWatcher) {
      return;
    }
    try {
      cancelWatcher.join(CLOSE_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (cancelWatcher.isAlive()) {
      LOG.warn("the coordinator's cancel watcher did not stop within {} s", CLOSE_WAIT.toSeconds());
    }
  }
}
