package io.spool.engine;

import io.spool.engine.internal.BatchStart;
import io.spool.engine.internal.BatchWorkflow;
import io.spool.engine.internal.BatchWorkflowImpl;
import io.spool.engine.internal.RecordActivitiesImpl;
import io.spool.engine.internal.WorkflowState;
import io.spool.media.ErrorCode;
import io.spool.media.PriceTable;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
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
  /**
   * Whose batches it runs: {@link BatchRecord#EMBEDDED} (then only the batches of this process),
   * or the shared service's target ({@code host:port}), as submitters record it.
   */
  private final String service;
  private final Thread cancelWatcher;
  private volatile boolean closed;

  private Coordinator(WorkflowClient client, JobStore store, String service) {
    this.client = client;
    this.store = store;
    this.service = service;
    this.cancelWatcher = new Thread(this::watchCancelRequests, "spool-cancel-requests");
    cancelWatcher.setDaemon(true);
  }

  /**
   * Registers the coordinator's workflow worker with {@code factory} (whose owner starts it) and
   * starts watching cancel requests. {@code service}: {@link BatchRecord#EMBEDDED} for an engine
   * that runs the batches of its own process, else the target ({@code host:port}) of the shared
   * service whose batches it runs; batches recorded for another service are never touched.
   */
  public static Coordinator register(WorkerFactory factory, JobStore store, PriceTable prices, String service) {
    Worker control = factory.newWorker(SpoolEngine.CONTROL_QUEUE, WorkerOptions.newBuilder()
        .setMaxConcurrentLocalActivityExecutionSize(64).build());
    control.registerWorkflowImplementationTypes(BatchWorkflowImpl.class);
    control.registerActivitiesImplementations(new RecordActivitiesImpl(store, prices));
    Coordinator c = new Coordinator(factory.getWorkflowClient(), store, java.util.Objects.requireNonNull(service, "service"));
    c.cancelWatcher.start();
    return c;
  }

  /**
   * Starts again every unfinished batch of its shared service whose workflow the service does not
   * know (it kept them in memory and was restarted): only the jobs not yet ended run, and since
   * outputs are published atomically, a job that was running publishes once. Batches recorded
   * for another service (another dev-server sharing this Spool home, say) are left to theirs,
   * which runs them still. Returns the batches started.
   */
  public List<String> resumeLostBatches() {
    List<String> resumed = new ArrayList<>();
    for (BatchRecord b : store.unfinishedBatches()) {
      if (!ours(b) || WorkflowState.of(client, b.id()).state() != WorkflowState.NOT_FOUND) {
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

  /** Whether this coordinator runs {@code b}. */
  private boolean ours(BatchRecord b) {
    if (service.equals(BatchRecord.EMBEDDED)) {
      return b.embedded() && b.coordinatorPid() == ProcessHandle.current().pid();
    }
    return !b.embedded() && sameService(b.coordinator(), service);
  }

  /**
   * Whether two targets name one service: the same port, and the same host, where every name of
   * this host ({@code localhost}, a loopback address, its host name) counts as one.
   */
  static boolean sameService(String a, String b) {
    int ca = a.lastIndexOf(':');
    int cb = b.lastIndexOf(':');
    if (ca < 0 || cb < 0 || !a.substring(ca + 1).equals(b.substring(cb + 1))) {
      return false;
    }
    String ha = a.substring(0, ca).toLowerCase(java.util.Locale.ROOT);
    String hb = b.substring(0, cb).toLowerCase(java.util.Locale.ROOT);
    return ha.equals(hb) || thisHost(ha) && thisHost(hb);
  }

  private static boolean thisHost(String host) {
    String me = WorkerRef.hostName().toLowerCase(java.util.Locale.ROOT);
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1")
        || host.equals("0.0.0.0") || host.equals(me) || me.startsWith(host + ".");
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
    if (b.isEmpty() || !ours(b.get())) {
      return; // another process's or service's batch: its coordinator passes it on
    }
    if (signalCancel(client, r.get())) {
      store.clearCancelRequest(jobId);
      return;
    }
    WorkflowState.Seen w = WorkflowState.of(client, r.get().batchId());
    if (w.state() == WorkflowState.RUNNING || w.state() == WorkflowState.UNKNOWN) {
      return; // the signal failed on the way: the request stays, and goes again next round
    }
    // The batch's workflow has ended (or the service lost it) with this job unended: nothing will
    // stop it now. The user asked for it to stop, so it is recorded cancelled rather than left for
    // a restart of the batch to run it after all.
    Instant now = Instant.now();
    store.update(jobId, x -> x.state().terminal() ? x : x.withOutcome(x.endedBefore(JobState.CANCELLED,
        ErrorCode.CANCELLED.name(), "cancelled after its batch's workflow had ended", now)));
    store.clearCancelRequest(jobId);
  }

  /**
   * Asks a job's batch workflow to cancel it; returns whether the workflow took the request
   * (false where it has ended, or the service could not be reached).
   */
  static boolean signalCancel(WorkflowClient client, JobRecord r) {
    try {
      client.newWorkflowStub(BatchWorkflow.class, r.batchId()).cancelJob(r.id(), r.index());
      return true;
    } catch (RuntimeException e) {
      LOG.debug("batch {} took no cancel of job {}", r.batchId(), r.id(), e);
      return false;
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
