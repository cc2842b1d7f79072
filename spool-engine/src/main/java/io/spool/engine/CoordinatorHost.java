package io.spool.engine;

import io.spool.engine.internal.TemporalConnection;
import io.spool.volumes.VolumeStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A process's share of a Temporal service as the coordinator: the {@link Coordinator} and, where
 * asked, a {@link MediaWorker} with some of this host's cores, on one connection, stopped in one
 * order. {@code spool dev-server} runs one beside its in-process service ({@link DevServer});
 * {@code spool coordinator} runs one on a Temporal cluster.
 *
 * <p>Several may run on one service and namespace (a rolling update starts the new one before the
 * old one stops): Temporal hands each workflow task to one of them, a batch whose workflow was
 * lost is started again by one only (its workflow id is the batch's id), and all of them give the
 * service one name (see {@link Coordinator#nameOf}), or take the one the first gave it.
 */
public final class CoordinatorHost implements AutoCloseable {
  /** How long a stop waits for the workflow tasks in hand to be answered. */
  private static final Duration TASK_WAIT = Duration.ofSeconds(5);

  private final TemporalConnection connection;
  private final JobStore store;
  private final Coordinator coordinator;
  private final MediaWorker media;
  private volatile List<String> resumed = List.of();

  private CoordinatorHost(TemporalConnection connection, JobStore store, Coordinator coordinator, MediaWorker media) {
    this.connection = connection;
    this.store = store;
    this.coordinator = coordinator;
    this.media = media;
  }

  /**
   * The coordinator (and, where {@code workerCores > 0}, a media worker of that many cores) for
   * {@code service}, registered and ready to {@link #start}; nothing is sent to the service before.
   * {@code role} prefixes how Temporal calls this process ({@code dev-server}, {@code coordinator}).
   */
  public static CoordinatorHost connect(TemporalSettings service, EngineConfig config, int workerCores, String role) {
    return connect(service, config, workerCores, role, true);
  }

  /**
   * The same, for a service that ends with this host ({@code handOver} false: nothing to hand a
   * batch over to, see {@link Coordinator#register(io.temporal.worker.WorkerFactory, JobStore,
   * io.spool.media.PriceTable, String, boolean)}).
   */
  static CoordinatorHost connect(TemporalSettings service, EngineConfig config, int workerCores, String role,
      boolean handOver) {
    TemporalConnection connection = TemporalConnection.to(service, WorkerRef.thisProcess(role).identity());
    JobStore store = null;
    try {
      store = JobStore.at(config.home());
      Coordinator coordinator = Coordinator.register(connection.factory(), store, config.prices(), Coordinator.nameOf(service),
          handOver);
      MediaWorker media = null;
      if (workerCores > 0) {
        EngineConfig workers = config.withCpuCores(workerCores);
        media = MediaWorker.register(connection.factory(), workers, VolumeStore.at(workers.volumesDir()),
            WorkerRef.thisProcess(role.equals("dev-server") ? "dev" : "c"), workers.gpuEncode()
                ? List.of(Resources.CPU_QUEUE, Resources.GPU_QUEUE) : List.of(Resources.CPU_QUEUE));
      }
      return new CoordinatorHost(connection, store, coordinator, media);
    } catch (RuntimeException | Error e) {
      if (store != null) {
        store.close();
      }
      connection.close();
      throw e;
    }
  }

  /**
   * Whether the service answers now, each question waiting a few seconds at most.
   *
   * @throws io.spool.media.EnvironmentException where it answers but cannot serve this process:
   *     TLS fails, or it has no such namespace
   */
  public boolean serviceAnswers() {
    return connection.answers(TemporalConnection.ANSWER_WAIT);
  }

  /** Whether the service answers now (a short health check for a host that has started). */
  public boolean serviceReachable() {
    try {
      return connection.answers(TemporalConnection.ANSWER_WAIT);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Starts the workers, records the media worker in the job store, and returns once the
   * coordinator's first sweep has started again the batches that the service lost.
   */
  public void start() {
    connection.factory().start();
    if (media != null) {
      media.announce(store);
    }
    resumed = coordinator.start().join();
  }

  /** The service's name as this host's coordinator took it: its own, or that of a coordinator that named it first. */
  public String serviceName() {
    return coordinator.service();
  }

  /** The media worker here, if it has one. */
  public Optional<MediaWorker> mediaWorker() {
    return Optional.ofNullable(media);
  }

  /** The batches that were unfinished in the job store and started again as it started. */
  public List<String> resumedBatches() {
    return resumed;
  }

  /**
   * Stops: the media worker lets its running jobs finish within {@code grace} (then ends them),
   * then the coordinator and the connection stop.
   */
  public void stop(Duration grace) {
    if (media != null) {
      media.drain(grace);
    }
    close();
  }

  @Override
  public void close() {
    // Jobs first: the coordinator may wait for the store (another process holds it) as it stops.
    if (media != null) {
      media.stopNow(Duration.ofSeconds(30));
    }
    coordinator.close();
    // The workflow tasks in hand are answered before the connection closes: one cut off would wait
    // for its timeout before another coordinator of the service gets it.
    connection.close(TASK_WAIT);
    store.close();
  }
}
