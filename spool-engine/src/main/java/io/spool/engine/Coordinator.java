package io.spool.engine;

import io.spool.engine.internal.BatchStart;
import io.spool.engine.internal.BatchWorkflow;
import io.spool.engine.internal.BatchWorkflowImpl;
import io.spool.engine.internal.RecordActivitiesImpl;
import io.spool.engine.internal.ServiceWorkflow;
import io.spool.engine.internal.ServiceWorkflowImpl;
import io.spool.engine.internal.WorkflowState;
import io.spool.media.SpoolException;
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
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator role: hosts the batch workflows and their bookkeeping (the job store is its
 * system of record), passes on cancel requests that other processes wrote into the store, and
 * sweeps its unfinished batches: it starts again those whose workflow a restart of the service
 * lost, and records as failed those whose workflow ended before their jobs did, whether or not
 * anyone follows them.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  private static final long CANCEL_POLL_MILLIS = 500;
  /** How often it sweeps its unfinished batches (and once as it starts). */
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(10);
  /**
   * A submitter writes a batch's records before it starts its workflow: a batch made after this
   * coordinator started whose workflow the service does not know is started again only once it
   * is this old, so that the sweep does not race its submitter.
   */
  private static final Duration START_GRACE = Duration.ofSeconds(60);
  /**
   * How long {@link #close} waits for its thread to finish what it is doing: a store write
   * it began waits for another process's lock (up to the store's busy timeout), and a coordinator
   * that has returned from close must not touch the store any more.
   */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(35);

  private final WorkflowClient client;
  private final JobStore store;
  /**
   * Whose batches it runs: {@link BatchRecord#EMBEDDED} (then only the batches of this process),
   * or the shared service's name, which submitters learn from it and record (see
   * {@link ServiceWorkflow}); where another coordinator of the service named it first, that name.
   */
  private volatile String service;
  private final Instant startedAt = Instant.now();
  /** Sweeps the batches, and passes on cancel requests between sweeps. */
  private final Thread watcher;
  /** The batches the first sweep started again, once it has run. */
  private final CompletableFuture<List<String>> firstSweep = new CompletableFuture<>();
  private volatile boolean closed;

  private Coordinator(WorkflowClient client, JobStore store, String service) {
    this.client = client;
    this.store = store;
    this.service = service;
    this.watcher = new Thread(this::watch, "spool-coordinator");
    watcher.setDaemon(true);
  }

  /**
   * Registers the coordinator's workflow worker with {@code factory}, whose owner starts it and
   * then calls {@link #start}. {@code service}: {@link BatchRecord#EMBEDDED} for an engine that
   * runs the batches of its own process, else the name of the shared service whose batches it
   * runs ({@link #nameOf}, the same after a restart and for every coordinator of the service, and
   * told to submitters that ask: see {@link ServiceWorkflow}); batches recorded for another service
   * are never touched.
   */
  public static Coordinator register(WorkerFactory factory, JobStore store, PriceTable prices, String service) {
    return register(factory, store, prices, service, false);
  }

  /**
   * The same; where {@code handOver}, each batch's next step may go to any coordinator of the
   * service rather than to the one that took its last (Temporal's sticky queues, off): on a
   * cluster, whose workflows outlive a coordinator, one that stops or dies hands its batches to
   * another (or to itself started again) at once, whatever the service does with a gone worker's
   * sticky queue. The price: a coordinator replays a batch's history at each step of it.
   */
  static Coordinator register(WorkerFactory factory, JobStore store, PriceTable prices, String service, boolean handOver) {
    WorkerOptions.Builder options = WorkerOptions.newBuilder().setMaxConcurrentLocalActivityExecutionSize(64);
    if (handOver) {
      options.setStickyQueueScheduleToStartTimeout(Duration.ZERO); // zero: no sticky queue
    }
    Worker control = factory.newWorker(SpoolEngine.CONTROL_QUEUE, options.build());
    control.registerWorkflowImplementationTypes(BatchWorkflowImpl.class, ServiceWorkflowImpl.class);
    control.registerActivitiesImplementations(new RecordActivitiesImpl(store, prices));
    return new Coordinator(factory.getWorkflowClient(), store, java.util.Objects.requireNonNull(service, "service"));
  }

  /**
   * Starts sweeping its batches (once now, then every {@link #SWEEP_EVERY}) and passing on cancel
   * requests, on a thread of its own; call it once its factory has started. Cancel requests are
   * passed on only after the first sweep, which hands those of a batch it starts again to the
   * batch's new workflow: a request read before would find the lost workflow and end the job
   * while the restart runs it. Returns the batches that the first sweep started again, once it
   * has run (see {@link #sweep}).
   */
  public CompletableFuture<List<String>> start() {
    watcher.start();
    return firstSweep;
  }

  private void watch() {
    try {
      if (!service.equals(BatchRecord.EMBEDDED)) {
        announce();
      }
      firstSweep.complete(sweepOrNot());
      long nextSweep = System.nanoTime() + SWEEP_EVERY.toNanos();
      while (!closed) {
        Thread.sleep(CANCEL_POLL_MILLIS);
        passOnCancelRequests();
        if (!closed && System.nanoTime() - nextSweep >= 0) {
          sweepOrNot();
          nextSweep = System.nanoTime() + SWEEP_EVERY.toNanos();
        }
      }
    } catch (InterruptedException e) {
      // closed
    } finally {
      firstSweep.complete(List.of());
    }
  }

  /**
   * Starts the workflow that tells submitters the service's name; where another coordinator of
   * the service started it first (on a Temporal cluster, whose workflows outlive a coordinator),
   * takes the name it gave, so that every coordinator of the service runs the same batches.
   */
  private void announce() {
    try {
      ServiceWorkflow w = client.newWorkflowStub(ServiceWorkflow.class, WorkflowOptions.newBuilder()
          .setTaskQueue(SpoolEngine.CONTROL_QUEUE).setWorkflowId(ServiceWorkflow.ID).build());
      WorkflowClient.start(w::run, service);
    } catch (WorkflowExecutionAlreadyStarted e) {
      ServiceWorkflow.nameOf(client).ifPresent(name -> service = name);
    } catch (RuntimeException e) {
      LOG.warn("the coordinator could not tell submitters its service's name ({}): they record the address they use",
          e.getMessage());
    }
  }

  /** The name of the service whose batches it runs (see {@link #register}), once it has started: maybe another coordinator's. */
  String service() {
    return service;
  }

  private List<String> sweepOrNot() {
    try {
      return sweep();
    } catch (RuntimeException e) {
      LOG.debug("the batches were not swept this time", e);
      return List.of();
    }
  }

  /**
   * Looks at every unfinished batch it runs and asks the service about its workflow: one the
   * service does not know (it kept them in memory and was restarted) is started again, and only
   * its jobs not yet ended run (outputs are published atomically, so a job that was running
   * publishes once); one whose workflow ended before its jobs did (it failed for good, or was
   * terminated) is recorded as failed, so that no one waits for it and no restart runs it again;
   * where the service does not answer, the batch waits for the next sweep. Batches recorded for
   * another service (another dev-server sharing this Spool home, say) are left to theirs. Returns
   * the batches started again.
   */
  List<String> sweep() {
    List<String> resumed = new ArrayList<>();
    for (BatchRecord b : store.unfinishedBatchesWithoutJobIds()) {
      if (closed) {
        break;
      }
      if (!ours(b)) {
        continue;
      }
      WorkflowState.Seen w = WorkflowState.of(client, b.id());
      if (w.state() == WorkflowState.ENDED_UNFINISHED) {
        store.failBatch(b.id(), ErrorCode.BATCH_FAILED, w.batchFailure(where(b)));
        LOG.info("batch {} recorded as failed: {}", b.id(), w.batchFailure(where(b)));
      } else if (w.state() == WorkflowState.NOT_FOUND && !b.embedded() && lost(b)) {
        try {
          int jobs = store.tally(b.id()).values().stream().mapToInt(Integer::intValue).sum();
          start(client, b.id(), BatchStart.restart(b.id(), jobs, b.plan(), store.cancelRequests(b.id())));
          resumed.add(b.id());
          LOG.info("batch {} started again: its workflow was lost with the service", b.id());
        } catch (WorkflowExecutionAlreadyStarted e) {
          // another coordinator, or its submitter, was quicker
        }
      }
    }
    return resumed;
  }

  /**
   * Whether a batch whose workflow the service does not know has lost it, rather than not started
   * it yet. (An embedded engine's in-process service loses nothing while its process lives: there,
   * such a batch is always one its submitter is about to start.)
   */
  private boolean lost(BatchRecord b) {
    return b.createdAt().isBefore(startedAt) || b.createdAt().isBefore(Instant.now().minus(START_GRACE));
  }

  /** The shared service as a batch's failure names it (its record's name for it); null for an embedded batch. */
  static String where(BatchRecord b) {
    return b.embedded() ? null : b.coordinator();
  }

  /**
   * Whether this coordinator runs {@code b}: a batch recorded with its service's name, or with an
   * address that names this host and its port (a submitter that could not ask the name records
   * the address it used).
   */
  private boolean ours(BatchRecord b) {
    String s = service;
    if (s.equals(BatchRecord.EMBEDDED)) {
      return b.embedded() && b.coordinatorPid() == ProcessHandle.current().pid();
    }
    return !b.embedded() && (b.coordinator().equals(s) || sameService(b.coordinator(), s));
  }

  /**
   * The name a coordinator gives the service {@code s} (see
   * {@link io.spool.engine.internal.ServiceWorkflow}): its address as configured, with a name of
   * this host made this host's own name, and its namespace where that is not the default one. It
   * depends only on what every coordinator of the service is configured with, never on the process
   * or pod that runs it: so it is the same after a restart, and the same for several coordinators,
   * and the batches recorded with it stay theirs even where the service's record of the name (a
   * workflow, which on a cluster outlives every coordinator) was lost.
   */
  static String nameOf(TemporalSettings s) {
    return canonical(s.target())
        + (s.namespace().equals(TemporalSettings.DEFAULT_NAMESPACE) ? "" : "/" + s.namespace());
  }

  /**
   * The address {@code target} as a submitter records it where the service did not say its name:
   * a name of this host ({@code localhost}, a loopback address) becomes the host's own name, as a
   * dev-server here names itself, so that another host sharing the job store does not take it as
   * its own {@code localhost}.
   */
  static String canonical(String target) {
    int colon = target.lastIndexOf(':');
    if (colon < 0 || !thisHost(target.substring(0, colon).toLowerCase(java.util.Locale.ROOT))) {
      return target;
    }
    return WorkerRef.hostName() + target.substring(colon);
  }

  /**
   * Whether two names of services (see {@link #nameOf}) name one: the same namespace, the same port,
   * and the same host, where every name of this host ({@code localhost}, a loopback address, its
   * host name) counts as one.
   */
  static boolean sameService(String a, String b) {
    int sa = a.indexOf('/');
    int sb = b.indexOf('/');
    if (!(sa < 0 ? "" : a.substring(sa)).equals(sb < 0 ? "" : b.substring(sb))) {
      return false; // another namespace
    }
    a = sa < 0 ? a : a.substring(0, sa);
    b = sb < 0 ? b : b.substring(0, sb);
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
  private void passOnCancelRequests() {
    try {
      for (String id : store.cancelRequests()) {
        if (closed) {
          return;
        }
        try {
          passOn(id);
        } catch (SpoolException e) {
          // One request that cannot be passed on (its record damaged, say) holds up no other.
          LOG.warn("cancel request for {} not passed on: {}", id, e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("cancel requests not read this time", e);
    }
  }

  private void passOn(String jobId) {
    Optional<JobRecord> r = store.job(jobId);
    if (r.isEmpty() || r.get().state().terminal()) {
      store.clearCancelRequest(jobId);
      return;
    }
    Optional<BatchRecord> b = store.batchWithoutJobIds(r.get().batchId());
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
    if (w.state() == WorkflowState.ENDED_UNFINISHED) {
      // Nothing will run the batch's other jobs either.
      store.failBatch(b.get().id(), ErrorCode.BATCH_FAILED, w.batchFailure(where(b.get())));
    }
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
   * Stops sweeping and watching cancel requests; returns once its thread has finished with the
   * store (or, should another process hold the store longer than the store's own timeout, after
   * {@link #CLOSE_WAIT}, saying so).
   */
  @Override
  public void close() {
    closed = true;
    watcher.interrupt();
    if (Thread.currentThread() == watcher || !watcher.isAlive()) {
      return;
    }
    try {
      watcher.join(CLOSE_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (watcher.isAlive()) {
      LOG.warn("the coordinator's thread did not stop within {} s", CLOSE_WAIT.toSeconds());
    }
  }
}
