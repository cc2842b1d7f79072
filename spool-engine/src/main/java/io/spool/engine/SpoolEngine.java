package io.spool.engine;

import io.spool.engine.internal.BatchStart;
import io.spool.engine.internal.TemporalConnection;
import io.spool.media.BadArgumentException;
import io.spool.volumes.VolumeStore;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits and follows jobs on Temporal: the submitter role, and a thin facade over the others.
 * {@link #embedded} also plays the coordinator and a media worker, on an in-process Temporal
 * service, so nothing needs installing; {@link #connect} submits to a shared service (a
 * {@code spool dev-server} or a Temporal cluster) whose coordinator and workers run elsewhere.
 *
 * <p>In the spirit of the reference guide: {@link #remote} runs one job and waits,
 * {@link #spawn} submits one and returns a handle, {@link #map} fans many out and streams their
 * outcomes, {@link #submit} gives the batch handle itself.
 */
public final class SpoolEngine implements AutoCloseable {
  /** Task queue of the coordinating (batch) workflows. */
  public static final String CONTROL_QUEUE = "spool-control";
  /**
   * The most jobs one batch takes. It runs as workflows of {@link EngineConfig#batchChunkJobs} jobs
   * in turn, but every job's record is written when the batch is submitted.
   */
  public static final int MAX_BATCH_JOBS = 100_000;
  /** Each running job holds a workflow thread; more at once than this gains nothing on one engine. */
  public static final int MAX_CONCURRENCY = 256;
  private static final Logger LOG = LoggerFactory.getLogger(SpoolEngine.class);
  /** How long a submit waits for the shared service to say its name (see {@link #serviceName}). */
  private static final Duration NAME_WAIT = Duration.ofSeconds(15);
  /** How old an engine must be before it asks its service again what its first asking could not learn. */
  private static final Duration ASK_AGAIN_AFTER = Duration.ofSeconds(10);
  /** How long {@link #close} waits for interrupted jobs to end their processes. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  /** The Temporal service {@link #prestart} is starting, until an engine takes it. */
  private static final AtomicReference<CompletableFuture<Service>> PRESTARTED = new AtomicReference<>();

  private final EngineConfig config;
  private final JobStore store;
  private final VolumeStore volumes;
  /** The shared service this engine submits to; null for an embedded engine. */
  private final TemporalSettings shared;
  private final TemporalConnection connection;
  /**
   * What opens {@link #connection} ahead of the first call, asks whether the shared service
   * answers (see {@link #requireService}) and asks its name (see {@link #serviceName}); null for an
   * embedded engine.
   */
  private final TemporalConnection.WarmUp warmUp;
  /** When this engine was made: a long-lived one (spool serve) asks the service again later. */
  private final long madeNanos = System.nanoTime();
  /** The service answered at least once; and its name, once its coordinator gave it. */
  private volatile boolean serviceAnswered;
  private volatile String knownServiceName;
  /** The service {@link #prestart} began, until {@link #temporal} has taken it; null otherwise. */
  private CompletableFuture<Service> prestarted; // guarded by this
  private Temporal temporal; // guarded by this
  private boolean closed; // guarded by this

  /** The started in-process side of an embedded engine: the service, its coordinator and media worker. */
  private record Temporal(TestWorkflowEnvironment env, Coordinator coordinator, MediaWorker media, Duration startTime) {}

  private SpoolEngine(EngineConfig config, TemporalSettings shared) {
    this.config = config;
    this.store = JobStore.at(config.home());
    this.volumes = VolumeStore.at(config.volumesDir());
    this.shared = shared;
    if (shared != null) {
      this.connection = TemporalConnection.to(shared, WorkerRef.thisProcess("submit").identity());
      this.warmUp = connection.warmUp(); // while the command prepares its jobs
      return;
    }
    this.connection = null;
    this.warmUp = null;
    this.prestarted = PRESTARTED.getAndSet(null);
    if (prestarted == null) {
      temporal(); // nothing started the service ahead: start it now, as a caller of embedded() expects
    }
  }

  /**
   * The service and the workers, started on first use. Where {@link #prestart} began the service,
   * the engine is made without waiting for it, so that a command prepares its jobs (reads the
   * inputs, plans the batch, writes the job records, all of it cold code) while the service
   * starts; the first submit then waits for what is left of the start and starts the workers.
   */
  private synchronized Temporal temporal() {
    checkOpen();
    if (temporal == null) {
      Service service = takeService(prestarted);
      prestarted = null;
      long t0 = System.nanoTime();
      TestWorkflowEnvironment env = service.env();
      Coordinator coordinator = Coordinator.register(env.getWorkerFactory(), store, config.prices(), BatchRecord.EMBEDDED);
      MediaWorker media = MediaWorker.register(env.getWorkerFactory(), config, volumes, WorkerRef.thisProcess("embedded"),
          config.gpuEncode() ? List.of(Resources.CPU_QUEUE, Resources.GPU_QUEUE) : List.of(Resources.CPU_QUEUE));
      env.start();
      coordinator.start();
      temporal = new Temporal(env, coordinator, media, Duration.ofNanos(System.nanoTime() - t0).plus(service.startTime()));
    }
    return temporal;
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the engine is closed");
    }
  }

  /**
   * Starts the in-process Temporal service on a background thread, so that it is ready by the time
   * an engine is made: a command calls this first thing and reads its arguments, logging and
   * capabilities meanwhile. The next {@link #embedded} engine takes the service; if none does, the
   * thread and the service end with the process. Calling it again before then does nothing.
   */
  public static void prestart() {
    CompletableFuture<Service> service = new CompletableFuture<>();
    if (PRESTARTED.compareAndSet(null, service)) {
      Thread t = new Thread(() -> {
        try {
          service.complete(newService());
        } catch (RuntimeException | Error e) {
          service.completeExceptionally(e);
        }
      }, "spool-engine-prestart");
      t.setDaemon(true);
      t.start();
    }
  }

  /** Whether a service {@link #prestart} began is waiting for an engine to take it. */
  static boolean prestartPending() {
    return PRESTARTED.get() != null;
  }

  /** The prestarted service if there is one (a failed start is tried again here), else a new one. */
  private static Service takeService(CompletableFuture<Service> service) {
    if (service != null) {
      try {
        return service.join();
      } catch (CompletionException e) {
        LOG.debug("the prestarted Temporal service failed to start", e.getCause());
      }
    }
    return newService();
  }

  /** An in-process Temporal service and how long it took to start. */
  private record Service(TestWorkflowEnvironment env, Duration startTime) {}

  private static Service newService() {
    long t0 = System.nanoTime();
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setUseTimeskipping(false)
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setIdentity(identity()).build())
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder().setMaxWorkflowThreadCount(2 * MAX_CONCURRENCY + 64).build())
        .build());
    return new Service(env, Duration.ofNanos(System.nanoTime() - t0));
  }

  /**
   * This process as Temporal names its clients ({@code pid@host}). Temporal finds its default
   * through Java's management beans, which are slow to start; the pid and the host name can be
   * read directly.
   */
  private static String identity() {
    return ProcessHandle.current().pid() + "@" + WorkerRef.hostName();
  }

  /**
   * An embedded engine: an in-process Temporal service and workers, started here, or at the first
   * submit where {@link #prestart} began the service.
   */
  public static SpoolEngine embedded(EngineConfig config) {
    return new SpoolEngine(config, null);
  }

  /**
   * An engine that submits to a shared Temporal service, whose coordinator ({@code spool dev-server})
   * and media workers ({@code spool worker}) run the jobs; it shares the job
   * store with them (the same Spool home on one host, or PostgreSQL). The connection opens at
   * once, on a background thread that {@link #close} ends, so that the first submit does not wait
   * for it; it only asks whether the service answers, and an unreachable one fails the first
   * submit ({@link #requireService}), not this.
   */
  public static SpoolEngine connect(EngineConfig config, TemporalSettings service) {
    return new SpoolEngine(config, java.util.Objects.requireNonNull(service, "service"));
  }

  /**
   * For an engine that submits to a shared service: returns once the service has answered, and
   * fails at once where none answers within a few seconds, or it cannot serve this process (TLS,
   * namespace), so that a submitter stops before it writes any record or results file. Nothing
   * to do for an embedded engine.
   *
   * @throws io.spool.media.EnvironmentException when the service does not answer or cannot serve
   */
  public void requireService() {
    if (warmUp == null) {
      return;
    }
    if (serviceAnswered) {
      return;
    }
    boolean ok;
    try {
      ok = warmUp.answered().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    if (!ok && System.nanoTime() - madeNanos > ASK_AGAIN_AFTER.toNanos()) {
      // A long-lived engine (spool serve) that started before its service came up asks again.
      ok = connection.answers(TemporalConnection.ANSWER_WAIT);
    }
    serviceAnswered = ok;
    if (!ok) {
      throw new io.spool.media.EnvironmentException("no Temporal service answers at " + shared.target()
          + " (start one with `spool dev-server`, or unset SPOOL_TEMPORAL)");
    }
  }

  /** Whether this engine runs its jobs itself, in this process (and they end with it). */
  public boolean embedded() {
    return shared == null;
  }

  public EngineConfig config() {
    return config;
  }

  public JobStore store() {
    return store;
  }

  public VolumeStore volumes() {
    return volumes;
  }

  /** Whether {@code ref} names a file in an existing volume ({@code VOLUME:path}) rather than a local path. */
  public boolean isVolumeRef(String ref) {
    return io.spool.engine.internal.Refs.isVolume(ref, volumes);
  }

  /**
   * How long starting the engine took: its Temporal service and its workers, also when the
   * service was started ahead by {@link #prestart} while the command did other work. Starts the
   * engine if nothing has yet; zero for an engine that submits to a shared service.
   */
  public Duration startTime() {
    return embedded() ? temporal().startTime() : Duration.ZERO;
  }

  /**
   * Whether the engine's Temporal service answers now, within a few seconds: the in-process one
   * (started here if nothing has yet), or the shared one this engine submits to.
   */
  public boolean reachable() {
    try {
      io.temporal.serviceclient.WorkflowServiceStubs stubs = embedded() ? temporal().env().getWorkflowServiceStubs()
          : connection.service();
      stubs.blockingStub().withDeadlineAfter(3, java.util.concurrent.TimeUnit.SECONDS)
          .getSystemInfo(io.temporal.api.workflowservice.v1.GetSystemInfoRequest.getDefaultInstance());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  WorkflowClient client() {
    return embedded() ? temporal().env().getWorkflowClient() : connection.client();
  }

  /** How many attempts of a job this process's own worker began (embedded engines; 0 otherwise). */
  int attemptsBegun(String jobId) {
    Temporal t;
    synchronized (this) {
      t = temporal;
    }
    return t == null ? 0 : t.media().attemptsBegun(jobId);
  }

  /** A batch submitted earlier, by this process or another, to follow, wait for or cancel. */
  public BatchHandle attach(String batchId) {
    BatchRecord b = store.batch(batchId).orElseThrow(() -> new BadArgumentException("no batch with id " + batchId));
    return new BatchHandle(this, batchId, b.jobIds());
  }

  /**
   * The batch's record (without its job ids: see {@link JobStore#batchWithoutJobIds}), checked
   * against its workflow where this engine reaches it (a batch of this engine's shared service,
   * or of this embedded engine): where the record says the batch runs
   * but its workflow has ended without finishing it (it failed for good, or someone terminated
   * it), the batch and its unfinished jobs are recorded as failed with
   * {@link io.spool.media.ErrorCode#BATCH_FAILED} first, so that no one waits for it forever.
   */
  public Optional<BatchRecord> checkedBatch(String batchId) {
    Optional<BatchRecord> b = store.batchWithoutJobIds(batchId);
    if (b.isEmpty() || b.get().state().terminal() || !runsHere(b.get())) {
      return b;
    }
    return BatchCheck.failIfEnded(store, client(), batchId, Coordinator.where(b.get())).or(() -> b);
  }

  /** Whether this engine's service runs {@code b}: its own embedded batches, or the batches of its shared service. */
  private boolean runsHere(BatchRecord b) {
    return b.embedded() ? embedded() && b.coordinatorPid() == ProcessHandle.current().pid()
        : !embedded() && (b.coordinator().equals(serviceName()) || Coordinator.sameService(b.coordinator(), Coordinator.nameOf(shared)));
  }

  /**
   * The shared service's name, as its coordinator gives it (see
   * {@link io.spool.engine.internal.ServiceWorkflow}): what this engine's batches record as their
   * coordinator, so that the coordinator knows them as its own whatever address this engine
   * reached it by. Where no coordinator answers, the name a coordinator that reached the service as
   * this engine does gives it (see {@link Coordinator#nameOf}).
   */
  private String serviceName() {
    if (knownServiceName != null) {
      return knownServiceName;
    }
    try {
      Optional<String> name = warmUp.serviceName().get(NAME_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      if (name.isEmpty() && System.nanoTime() - madeNanos > ASK_AGAIN_AFTER.toNanos()) {
        name = io.spool.engine.internal.ServiceWorkflow.nameOf(client()); // its coordinator may have come up since
      }
      name.ifPresent(n -> knownServiceName = n);
      return name.orElseGet(() -> Coordinator.nameOf(shared));
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return Coordinator.nameOf(shared);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.spool.media.CancelledException("interrupted while asking the service's name");
    }
  }

  /**
   * Cancels one job, whichever process runs it: its batch's workflow is told where this engine
   * reaches it, and a cancel request is left in the job store for the coordinator that runs it
   * (another process's embedded engine, or a service's coordinator). Returns false when the job
   * had ended already.
   */
  public boolean cancelJob(String jobId) {
    JobRecord r = store.requireJob(jobId);
    if (r.state().terminal()) {
      return false;
    }
    store.requestCancel(jobId);
    if (store.batchWithoutJobIds(r.batchId()).map(this::runsHere).orElse(false)) {
      Coordinator.signalCancel(client(), r);
    }
    return true;
  }

  /** Runs one job and waits for its outcome (the guide's {@code f.remote(x)}). */
  public JobOutcome remote(JobSpec job) {
    return spawn(job).result();
  }

  /** Submits one job and returns at once (the guide's {@code f.spawn(x)}). */
  public JobHandle spawn(JobSpec job) {
    BatchHandle b = submit(job.type(), List.of(job), 1, "job");
    return new JobHandle(b, b.jobIds().get(0));
  }

  /**
   * Runs many jobs, at most {@code concurrency} at once, streaming outcomes as they finish
   * ({@code ordered=false}) or in submission order (the guide's {@code f.map(xs)}).
   */
  public Stream<JobOutcome> map(List<JobSpec> jobs, int concurrency, boolean ordered) {
    BatchHandle b = submit(jobs.isEmpty() ? "map" : jobs.get(0).type(), jobs, concurrency);
    return ordered ? b.inOrder() : b.asCompleted();
  }

  /**
   * Submits a batch, whose jobs start in the order given; {@code concurrency <= 0} means as many
   * as this worker's cores allow (jobs of different CPU run side by side as long as their CPU
   * adds up to the cores at most).
   */
  public BatchHandle submit(String type, List<JobSpec> jobs, int concurrency) {
    return submit(type, jobs, concurrency, "batch");
  }

  /** {@link #submit}; {@code what} names what was submitted in a failure: a batch, or a job. */
  private BatchHandle submit(String type, List<JobSpec> jobs, int concurrency, String what) {
    PreparedBatch batch = prepare(type, jobs, concurrency, what);
    BatchHandle handle = record(List.of(batch)).get(0);
    start(batch);
    return handle;
  }

  /**
   * Checks, routes and plans a batch as {@link #submit} does, and gives it and its jobs their ids,
   * writing nothing yet: {@link #record} writes it (with others), {@link #start} starts it. A
   * server that takes many submissions at once writes their records in one transaction and
   * answers each as soon as its records are written.
   *
   * @throws BadArgumentException where the batch cannot be run as asked
   */
  public PreparedBatch prepare(String type, List<JobSpec> jobs, int concurrency) {
    return prepare(type, jobs, concurrency, jobs.size() == 1 ? "job" : "batch");
  }

  private PreparedBatch prepare(String type, List<JobSpec> jobs, int concurrency, String what) {
    checkOpen();
    requireService();
    if (jobs.size() > MAX_BATCH_JOBS) {
      throw new BadArgumentException("a batch holds at most " + MAX_BATCH_JOBS + " jobs; split " + jobs.size() + " into several");
    }
    List<JobSpec> specs = route(jobs).stream().map(j -> j.withS3Volumes(volumes.s3LocationsOf(j.refs()))).toList();
    BatchRecord.Plan plan = plan(specs, concurrency);
    Instant now = Instant.now();
    String batchId = newId("b", now);
    long pid = embedded() ? ProcessHandle.current().pid() : 0;
    List<JobRecord> records = new ArrayList<>(specs.size());
    List<String> ids = new ArrayList<>(specs.size());
    // Embedded, the first jobs go to the worker as the workflow starts: their records say so already.
    // A shared service's workers take jobs as their own capacity allows, which this process cannot see.
    int first = !embedded() ? 0
        : Math.min(Math.min(plan.concurrency(), plan.chunkJobs()), jobsThatFit(specs, plan.cores()));
    for (int i = 0; i < specs.size(); i++) {
      JobSpec spec = specs.get(i);
      String id = newId("j", now);
      ids.add(id);
      boolean running = i < first;
      records.add(new JobRecord(id, batchId, i, spec.type(), spec.input(), spec.output(),
          running ? JobState.RUNNING : JobState.QUEUED, spec.resources(), now, running ? now : null, pid, null, spec.params()));
    }
    BatchRecord batch = new BatchRecord(batchId, type, JobState.RUNNING, now, null, ids, 0, 0, 0, null, pid,
        embedded() ? BatchRecord.EMBEDDED : serviceName(), plan);
    return new PreparedBatch(what, batch, records, BatchStart.of(batchId, ids.size(), plan, ids.subList(0, first)));
  }

  /**
   * Writes the records of prepared batches, all in one transaction, and returns their handles in
   * the same order. Each must then be {@link #start started}; one that is not (this process
   * ending first) is started by its coordinator's sweep, or, embedded, recorded as interrupted as
   * the process exits.
   */
  public List<BatchHandle> record(List<PreparedBatch> batches) {
    checkOpen();
    store.submitAll(batches.stream().map(b -> new JobStore.NewBatch(b.batch, b.records)).toList());
    return batches.stream().map(b -> new BatchHandle(this, b.id(), b.jobIds())).toList();
  }

  /**
   * Starts the workflow of a recorded batch. Where the service does not take it, its jobs are
   * recorded as failed (ENVIRONMENT) and the failure is thrown.
   */
  public void start(PreparedBatch b) {
    String batchId = b.id();
    List<String> ids = b.jobIds();
    // A prestarted service may still be starting: the records were written meanwhile. (Should
    // it fail to start, the handle's exit hook records these jobs as interrupted when the process ends.)
    try {
      Coordinator.start(client(), batchId, b.start);
    } catch (io.temporal.client.WorkflowExecutionAlreadyStarted e) {
      // A coordinator that came up while this start was retrying found the batch in the store and
      // started it: the id is new, so no other can own it.
    } catch (RuntimeException e) {
      Instant at = Instant.now();
      String why = "the " + b.what + " could not be started: " + e.getMessage();
      for (String id : ids) {
        store.update(id, r -> r.state().terminal() ? r : r.withOutcome(r.endedBefore(JobState.FAILED,
            io.spool.media.ErrorCode.ENVIRONMENT.name(), why, at)));
      }
      store.batchWithoutJobIds(batchId)
          .ifPresent(rec -> store.putBatch(rec.ended(JobState.FAILED, at, 0, ids.size(), 0, JobCost.ZERO)));
      throw new io.spool.media.EnvironmentException(embedded() ? why
          : "the Temporal service at " + shared.target() + " did not take the " + b.what + " (is spool dev-server running?): "
              + rootMessage(e));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /**
   * How a batch hands out its jobs. Embedded, the limit is this host's cores: where every job asks
   * for one core (no --concurrency, one queue), the worker runs only as many as it has cores and
   * the rest wait in the task queue for the next free slot, so the batch hands twice its limit to
   * the queue at once and the next chunk starts while the last jobs of the one before run. Jobs of
   * several widths are handed out as the cores they ask for allow, since a job the worker took
   * would wait inside it; under a --concurrency limit (which holds per chunk), by their number. A
   * shared service's capacity is its workers', which may come and go: without --concurrency the
   * batch hands them as many jobs as one workflow runs well, and their own capacity decides.
   */
  private BatchRecord.Plan plan(List<JobSpec> specs, int concurrency) {
    int chunk = config.batchChunkJobs();
    if (!embedded()) {
      int limit = concurrency > 0 ? Math.min(MAX_CONCURRENCY, concurrency) : MAX_CONCURRENCY;
      return new BatchRecord.Plan(chunk, limit, limit, 0, concurrency <= 0);
    }
    int cores = config.cpuCores();
    int narrowest = specs.stream().mapToInt(j -> j.resources().cpu()).min().orElse(1);
    int limit = Math.min(MAX_CONCURRENCY, concurrency > 0 ? concurrency : Math.max(1, cores / Math.min(narrowest, cores)));
    boolean ownCores = concurrency <= 0 && specs.stream().map(j -> j.resources().queue()).distinct().count() == 1;
    boolean queueAhead = ownCores && specs.stream().allMatch(j -> j.resources().cpu() == 1);
    int window = queueAhead ? Math.min(MAX_CONCURRENCY, 2 * limit) : limit;
    return new BatchRecord.Plan(chunk, limit, window, ownCores && !queueAhead ? cores : 0, queueAhead);
  }

  /** How many of the first jobs ask for no more than {@code cores} together (all for no limit). */
  private static int jobsThatFit(List<JobSpec> jobs, int cores) {
    int n = 0;
    int busy = 0;
    for (JobSpec j : jobs) {
      int c = Math.min(j.resources().cpu(), cores);
      if (cores > 0 && busy > 0 && busy + c > cores) {
        break;
      }
      busy += c;
      n++;
    }
    return n;
  }

  /**
   * GPU jobs go to the gpu queue only where a GPU encoder was proven: embedded, on this host; on a
   * shared service, where a live worker serves the gpu queue (which a worker does only where a
   * real test encode proved NVENC), as the job store's workers table says. Elsewhere they run on
   * CPU, are charged as CPU jobs, and the job notes the fallback: a job from the cpu queue never
   * encodes on a GPU, even on a worker that has one (see {@link JobContext#gpuEncodeAvailable}),
   * so it encodes with the CPU twin and says so. Where this host's GPU kind is known,
   * an embedded GPU job becomes that kind ({@code gpu=any}, and a named kind this host does not
   * have: the embedded engine has no other GPU to send it to), so that it is recorded and priced
   * as what it ran on.
   */
  private List<JobSpec> route(List<JobSpec> jobs) {
    boolean gpuAsked = jobs.stream().anyMatch(j -> j.resources().queue().equals(Resources.GPU_QUEUE));
    boolean gpuServed = embedded() ? config.gpuEncode() : gpuAsked && liveGpuWorker();
    return jobs.stream().map(j -> route(j, gpuServed)).toList();
  }

  private JobSpec route(JobSpec spec, boolean gpuServed) {
    Resources r = spec.resources();
    if (!r.queue().equals(Resources.GPU_QUEUE)) {
      return spec;
    }
    if (!gpuServed && r.gpuRequired()) {
      if (embedded()) {
        // Its only worker is this process's, which proved no NVENC: the job would wait for ever.
        throw new io.spool.media.EnvironmentException("the job requires a GPU, and this host proved no NVENC encoder"
            + " (spool doctor says why); submit it to a shared service with a GPU worker, or let it run on the CPU");
      }
      return spec; // waits on the gpu queue for a worker that proved NVENC (see gpuWait)
    }
    if (!gpuServed) {
      return spec.withResources(r.toBuilder().gpu("none").queue(Resources.CPU_QUEUE).build());
    }
    if (embedded() && config.gpuKind() != null && !r.gpu().equals(config.gpuKind())) {
      return spec.withResources(r.toBuilder().gpu(config.gpuKind()).build());
    }
    return spec;
  }

  /** Whether a worker that serves the gpu queue was seen lately and has not stopped. */
  private boolean liveGpuWorker() {
    return gpuWaitNow().isEmpty();
  }

  private Optional<String> gpuWaitNow() {
    Instant now = Instant.now();
    return WorkerRecord.gpuWait(store.workers(now.minus(WorkerRecord.LIVE_WITHIN)), now);
  }

  /**
   * Why a job with these resources would wait now rather than start: it requires a GPU, and no
   * live worker of this engine's shared service serves the gpu queue. Empty otherwise (an embedded
   * engine refuses such a job when it has no GPU).
   */
  public Optional<String> gpuWait(Resources r) {
    return !r.gpuRequired() || embedded() ? Optional.empty() : gpuWaitNow();
  }

  private static String newId(String prefix, Instant now) {
    return prefix + "-" + ID_TIME.format(now) + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);
  }

  /**
   * Stops the engine. Workers stop at once (a job still running is interrupted, which ends its
   * ffmpeg) instead of draining, which would only add shutdown time. Returns once every job
   * attempt on this engine has returned (its processes ended, its scratch removed); Temporal's own
   * threads and the in-process service are released in the background, since their shutdown
   * polls in steps and nothing of Spool's waits on it.
   */
  @Override
  public void close() {
    Temporal t;
    CompletableFuture<Service> unused;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = temporal;
      unused = prestarted;
      prestarted = null;
    }
    if (connection != null) {
      warmUp.thread().interrupt();
      connection.close(); // fails its calls, if it is still making them
      try {
        warmUp.thread().join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      store.close();
      volumes.close();
      return;
    }
    volumes.close(); // its S3 clients; a volume opened later opens a client again
    if (t == null) {
      // Never used: no job ran. A service still starting is ended once it has started.
      if (unused != null) {
        unused.thenAcceptAsync(s -> s.env().close());
      }
      return;
    }
    // Jobs first: the coordinator may wait for the store (another process holds it) as it stops.
    t.env().shutdownNow();
    if (!t.media().stopNow(CLOSE_WAIT)) {
      LOG.warn("jobs still running {} s after the engine was asked to stop", CLOSE_WAIT.toSeconds());
    }
    t.coordinator().close();
    store.close(); // a record written later, by an exit hook, opens it again
    Thread closer = new Thread(t.env()::close, "spool-engine-close");
    closer.setDaemon(true);
    closer.start();
  }
}
