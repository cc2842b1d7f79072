package io.spool.engine;

import io.spool.engine.internal.BatchPlan;
import io.spool.engine.internal.BatchWorkflowImpl;
import io.spool.engine.internal.CancelGate;
import io.spool.engine.internal.JobOptions;
import io.spool.engine.internal.JobRequest;
import io.spool.engine.internal.MediaActivitiesImpl;
import io.spool.engine.internal.RecordActivitiesImpl;
import io.spool.media.BadArgumentException;
import io.spool.volumes.VolumeStore;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on Temporal. {@link #embedded} starts an in-process Temporal service with the
 * coordinating workflow worker and media workers on the {@code cpu} (and, where GPU encoding was
 * proven, {@code gpu}) queues, so nothing needs installing.
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
  /** How long {@link #close} waits for interrupted jobs to end their processes. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  /** The Temporal service {@link #prestart} is starting, until an engine takes it. */
  private static final AtomicReference<CompletableFuture<Service>> PRESTARTED = new AtomicReference<>();

  private final EngineConfig config;
  private final JobStore store;
  private final VolumeStore volumes;
  private final MediaActivitiesImpl media;
  private final CancelGate gate = new CancelGate();
  /** The service {@link #prestart} began, until {@link #temporal} has taken it; null otherwise. */
  private CompletableFuture<Service> prestarted; // guarded by this
  private Temporal temporal; // guarded by this
  private boolean closed; // guarded by this

  /** The started Temporal side of this engine: the service with its workers polling. */
  private record Temporal(TestWorkflowEnvironment env, Duration startTime) {}

  private SpoolEngine(EngineConfig config) {
    this.config = config;
    this.store = JobStore.at(config.home());
    this.volumes = VolumeStore.at(config.volumesDir());
    this.media = new MediaActivitiesImpl(config.jobTypes(), config.tools(), volumes,
        config.scratchDir(), config.minScratchBytes(), config.cpuCores(), config.gpuEncode(), gate);
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
      Worker control = env.newWorker(CONTROL_QUEUE, WorkerOptions.newBuilder()
          .setMaxConcurrentLocalActivityExecutionSize(64).build());
      control.registerWorkflowImplementationTypes(BatchWorkflowImpl.class);
      control.registerActivitiesImplementations(new RecordActivitiesImpl(store, config.prices()));
      // Heartbeats carry progress: forward each one (a second apart) rather than the SDK's default of
      // at most one per 0.8 x heartbeat timeout, which left progress bars seconds behind.
      WorkerOptions mediaOptions = WorkerOptions.newBuilder()
          .setMaxConcurrentActivityExecutionSize(config.cpuCores())
          .setMaxHeartbeatThrottleInterval(JobOptions.HEARTBEAT_INTERVAL).build();
      env.newWorker(Resources.CPU_QUEUE, mediaOptions).registerActivitiesImplementations(media);
      if (config.gpuEncode()) {
        env.newWorker(Resources.GPU_QUEUE, mediaOptions).registerActivitiesImplementations(media);
      }
      env.start();
      temporal = new Temporal(env, Duration.ofNanos(System.nanoTime() - t0).plus(service.startTime()));
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
   * This process as Temporal names its workers ({@code pid@host}). Temporal finds its default
   * through Java's management beans, which are slow to start; the pid and the host name can be
   * read directly.
   */
  private static String identity() {
    String host;
    try {
      host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException | RuntimeException e) {
      host = "";
    }
    if (host.isEmpty()) {
      host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    return ProcessHandle.current().pid() + "@" + host;
  }

  /**
   * An embedded engine: an in-process Temporal service and workers, started here, or at the first
   * submit where {@link #prestart} began the service.
   */
  public static SpoolEngine embedded(EngineConfig config) {
    return new SpoolEngine(config);
  }

  public EngineConfig config() {
    return config;
  }

  /** Where this engine's batches ask its worker to stop jobs. */
  CancelGate gate() {
    return gate;
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
   * engine if nothing has yet.
   */
  public Duration startTime() {
    return temporal().startTime();
  }

  WorkflowClient client() {
    return temporal().env().getWorkflowClient();
  }

  /** Runs one job and waits for its outcome (the guide's {@code f.remote(x)}). */
  public JobOutcome remote(JobSpec job) {
    return spawn(job).result();
  }

  /** Submits one job and returns at once (the guide's {@code f.spawn(x)}). */
  public JobHandle spawn(JobSpec job) {
    BatchHandle b = submit(job.type(), List.of(job), 1);
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
    checkOpen();
    if (jobs.size() > MAX_BATCH_JOBS) {
      throw new BadArgumentException("a batch holds at most " + MAX_BATCH_JOBS + " jobs; split " + jobs.size() + " into several");
    }
    List<JobSpec> specs = jobs.stream().map(this::route).toList();
    int cores = config.cpuCores();
    int narrowest = specs.stream().mapToInt(j -> j.resources().cpu()).min().orElse(1);
    int limit = Math.min(MAX_CONCURRENCY, concurrency > 0 ? concurrency : Math.max(1, cores / Math.min(narrowest, cores)));
    // Where the worker's own cores are the limit (no --concurrency, one queue) and every job asks
    // for one core, the worker runs only as many as it has cores and the rest wait in the task
    // queue for the next free slot: the batch then hands twice its limit to the queue at once, and
    // the next 1000-job workflow starts while the last jobs of the one before run. Jobs of several
    // widths are handed out as the cores they ask for allow, since a job the worker took would
    // wait inside it; under a --concurrency limit (which holds per workflow), by their number.
    boolean ownCores = concurrency <= 0 && specs.stream().map(j -> j.resources().queue()).distinct().count() == 1;
    boolean queueAhead = ownCores && specs.stream().allMatch(j -> j.resources().cpu() == 1);
    int window = queueAhead ? Math.min(MAX_CONCURRENCY, 2 * limit) : limit;
    int coreBudget = ownCores && !queueAhead ? cores : 0;
    Instant now = Instant.now();
    String batchId = newId("b", now);
    long pid = ProcessHandle.current().pid();
    List<JobRequest> requests = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<JobRecord> records = new ArrayList<>(specs.size());
    // The first jobs go to the task queue as the workflow starts; their records say so already.
    int first = Math.min(Math.min(limit, config.batchChunkJobs()), jobsThatFit(specs, coreBudget));
    for (int i = 0; i < specs.size(); i++) {
      JobSpec spec = specs.get(i);
      String id = newId("j", now);
      ids.add(id);
      requests.add(new JobRequest(id, batchId, i, spec));
      boolean running = i < first;
      records.add(new JobRecord(id, batchId, i, spec.type(), spec.input(), spec.output(),
          running ? JobState.RUNNING : JobState.QUEUED, spec.resources(), now, running ? now : null, pid, null, spec.params()));
    }
    store.submit(new BatchRecord(batchId, type, JobState.RUNNING, now, null, ids, 0, 0, 0, null, pid, BatchRecord.EMBEDDED, null),
        records);
    List<BatchPlan> chunks = new ArrayList<>();
    for (int from = 0; from < requests.size(); from += config.batchChunkJobs()) {
      List<JobRequest> chunk = requests.subList(from, Math.min(requests.size(), from + config.batchChunkJobs()));
      chunks.add(new BatchPlan(batchId, List.copyOf(chunk), limit, window, coreBudget,
          from == 0 ? ids.subList(0, Math.min(first, ids.size())) : List.of()));
    }
    BatchHandle handle = new BatchHandle(this, batchId, ids, chunks, queueAhead);
    // A prestarted service may still be starting: the records above were written meanwhile. (Should
    // it fail to start, the handle's exit hook records these jobs as interrupted when the process ends.)
    temporal();
    handle.start();
    return handle;
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
   * GPU jobs go to the gpu queue only where a GPU encoder was proven; elsewhere they run on CPU,
   * are charged as CPU jobs, and the job notes the fallback. Where this host's GPU kind is known,
   * a GPU job becomes that kind ({@code gpu=any}, and a named kind this host does not have: the
   * embedded engine has no other GPU to send it to), so that it is recorded and priced as what it
   * ran on.
   */
  private JobSpec route(JobSpec spec) {
    Resources r = spec.resources();
    if (r.queue().equals(Resources.GPU_QUEUE) && !config.gpuEncode()) {
      return spec.withResources(r.toBuilder().gpu("none").queue(Resources.CPU_QUEUE).build());
    }
    if (r.queue().equals(Resources.GPU_QUEUE) && config.gpuKind() != null && !r.gpu().equals(config.gpuKind())) {
      return spec.withResources(r.toBuilder().gpu(config.gpuKind()).build());
    }
    return spec;
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
    if (t == null) {
      // Never used: no job ran. A service still starting is ended once it has started.
      if (unused != null) {
        unused.thenAcceptAsync(s -> s.env().close());
      }
      return;
    }
    t.env().shutdownNow();
    if (!media.awaitIdle(CLOSE_WAIT)) {
      LOG.warn("jobs still running {} s after the engine was asked to stop", CLOSE_WAIT.toSeconds());
    }
    store.close(); // a record written later, by an exit hook, opens it again
    Thread closer = new Thread(t.env()::close, "spool-engine-close");
    closer.setDaemon(true);
    closer.start();
  }
}
