package io.spool.engine;

import io.spool.engine.internal.ActivitySlots;
import io.spool.engine.internal.JobOptions;
import io.spool.engine.internal.MediaActivitiesImpl;
import io.spool.engine.internal.TemporalConnection;
import io.spool.engine.internal.WorkerPresence;
import io.spool.volumes.VolumeStore;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.CompositeTuner;
import io.temporal.worker.tuning.FixedSizeSlotSupplier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media worker role: runs job attempts from the {@code cpu} (and, where this host proved GPU
 * encoding, {@code gpu}) task queues, as many at once as its cores allow. Cancellation and
 * progress travel through Temporal only, so it may live in any process on any host that sees the
 * jobs' files.
 */
public final class MediaWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MediaWorker.class);
  /** How long jobs ended at the end of a drain have to end their processes. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  /** Slots for the task kinds a media worker does not run (workflows, local activities, Nexus). */
  private static final int OTHER_SLOTS = 1;

  private final MediaActivitiesImpl media;
  private final EngineConfig config;
  private final List<Worker> workers;
  /** Its workers' job slots, as many as its cores; closed by a drain. */
  private final List<ActivitySlots> slots;
  /** The connection of a worker process of its own ({@link #connect}); null for one registered with another's factory. */
  private TemporalConnection own;
  /** The job store of a worker process of its own, opened by {@link #start}; null otherwise. */
  private JobStore ownStore;
  /** The volumes of a worker made by {@link #connect}, whose S3 clients it closes. */
  private VolumeStore ownVolumes;
  /** Its record in the job store, kept fresh from {@link #announce} until it stops; null before. */
  private WorkerPresence presence; // guarded by this

  private MediaWorker(MediaActivitiesImpl media, EngineConfig config, List<Worker> workers, List<ActivitySlots> slots) {
    this.media = media;
    this.config = config;
    this.workers = workers;
    this.slots = slots;
  }

  /**
   * A media worker process of its own for the shared service {@code service}, registered and ready
   * to {@link #start}. Temporal calls it {@code self.identity()}.
   */
  public static MediaWorker connect(TemporalSettings service, EngineConfig config, WorkerRef self, List<String> queues) {
    TemporalConnection c = TemporalConnection.to(service, self.identity());
    VolumeStore volumes = VolumeStore.at(config.volumesDir());
    MediaWorker w = register(c.factory(), config, volumes, self, queues);
    w.own = c;
    w.ownVolumes = volumes;
    return w;
  }

  /** Whether its service answers now (for a worker made by {@link #connect}; a short health check). */
  public boolean serviceReachable() {
    try {
      own.service().blockingStub().withDeadlineAfter(3, java.util.concurrent.TimeUnit.SECONDS)
          .getSystemInfo(io.temporal.api.workflowservice.v1.GetSystemInfoRequest.getDefaultInstance());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether its service answers now, asked as a worker about to start asks it (for a worker made by
   * {@link #connect}; each question waits a few seconds at most).
   *
   * @throws io.spool.media.EnvironmentException where the service answers but cannot serve this
   *     worker: TLS fails, or it has no such namespace
   */
  public boolean serviceAnswers() {
    return own.answers(TemporalConnection.ANSWER_WAIT);
  }

  /** How many job attempts this worker has taken and not yet ended. */
  public int runningJobs() {
    return media.running();
  }

  /**
   * Starts polling (for a worker made by {@link #connect}) and records this worker in the job
   * store of its Spool home, which its service's submitters share (see {@link #announce}).
   */
  public void start() {
    own.factory().start();
    ownStore = JobStore.at(config.home());
    announce(ownStore);
  }

  /**
   * Records this worker in {@code store} (its queues, capacity and whether NVENC was proven) and
   * keeps its last sighting fresh until it stops: submitters to a shared service send GPU jobs to
   * the {@code gpu} queue only while a live worker serves it. Does nothing the second time.
   */
  public synchronized void announce(JobStore store) {
    if (presence == null) {
      presence = WorkerPresence.start(store, WorkerRecord.starting(self(), queues(), config.cpuCores(), config.memoryMiB(),
          config.gpuEncode(), java.time.Instant.now()));
    }
  }

  /** Records this worker as stopped, where it was announced: it takes no more work. */
  private void leave() {
    WorkerPresence p;
    synchronized (this) {
      p = presence;
    }
    if (p != null) {
      p.close();
    }
  }

  /**
   * Ends a worker made by {@link #connect}: running jobs are ended first (see {@link #drain} for a
   * gentler stop), and every attempt's end, success or failure, is reported before the connection
   * closes.
   */
  @Override
  public void close() {
    stopNow(STOP_WAIT);
    if (own != null) {
      own.close(STOP_WAIT);
    }
    if (ownStore != null) {
      ownStore.close();
    }
    if (ownVolumes != null) {
      ownVolumes.close();
    }
  }

  /**
   * Registers a media worker with {@code factory} (whose owner starts it) on {@code queues}, with
   * the capacity of {@code config.cpuCores()}. The {@code gpu} queue is served only where
   * {@code config.gpuEncode()} (a real test encode proved it).
   */
  public static MediaWorker register(WorkerFactory factory, EngineConfig config, VolumeStore volumes, WorkerRef self,
      List<String> queues) {
    MediaActivitiesImpl media = new MediaActivitiesImpl(config.jobTypes(), config.tools(), volumes, config.scratchDir(),
        config.minScratchBytes(), config.cpuCores(), config.memoryMiB(), config.gpuEncode(), config.s3Input(), self);
    media.connect(factory.getWorkflowClient());
    List<Worker> workers = new ArrayList<>();
    List<ActivitySlots> slots = new ArrayList<>();
    for (String q : queues) {
      if (q.equals(Resources.GPU_QUEUE) && !config.gpuEncode()) {
        LOG.warn("not serving the gpu queue: no GPU encoder was proven on this host (see spool doctor)");
        continue;
      }
      ActivitySlots s = new ActivitySlots(config.cpuCores());
      // Heartbeats carry progress: forward each one (a second apart) rather than the SDK's default of
      // at most one per 0.8 x heartbeat timeout, which left progress bars seconds behind.
      Worker w = factory.newWorker(q, WorkerOptions.newBuilder()
          .setWorkerTuner(new CompositeTuner(new FixedSizeSlotSupplier<>(OTHER_SLOTS), s,
              new FixedSizeSlotSupplier<>(OTHER_SLOTS), new FixedSizeSlotSupplier<>(OTHER_SLOTS)))
          .setMaxHeartbeatThrottleInterval(JobOptions.HEARTBEAT_INTERVAL).build());
      w.registerActivitiesImplementations(media);
      workers.add(w);
      slots.add(s);
    }
    return new MediaWorker(media, config, workers, slots);
  }

  /** The latest attempt of a job begun on this worker lately (see {@code MediaActivitiesImpl}); 0 when none. */
  public int attemptsBegun(String jobId) {
    return media.attemptsBegun(jobId);
  }

  public WorkerRef self() {
    return media.self();
  }

  /** The queues it serves. */
  public List<String> queues() {
    return workers.stream().map(Worker::getTaskQueue).toList();
  }

  /**
   * Stops taking work, lets the running jobs finish within {@code grace}, then ends those still
   * running (their ffmpeg ends; Temporal retries them on another worker). Returns once every
   * attempt here has returned, or {@link #STOP_WAIT} after ending them.
   */
  public boolean drain(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    stopTaking();
    // Only now: the store may keep this waiting (another process holds it), and a worker that is
    // stopping must take no job meanwhile.
    leave();
    if (media.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
      return true;
    }
    LOG.info("jobs still running after the {} s grace period are ended; other workers run them again", grace.toSeconds());
    media.stopAll();
    return media.awaitIdle(STOP_WAIT);
  }

  /**
   * Ends every running attempt now and waits for them to return, then records this worker as
   * stopped (the store may keep that waiting: its jobs end first); for a process that is stopping.
   */
  public boolean stopNow(Duration wait) {
    stopTaking();
    media.stopAll();
    boolean idle = media.awaitIdle(wait);
    leave();
    return idle;
  }

  /** Takes no more work: its job slots close (a poller waiting for one gets none) and its pollers stop. */
  private void stopTaking() {
    slots.forEach(ActivitySlots::close);
    workers.forEach(Worker::suspendPolling);
  }
}
