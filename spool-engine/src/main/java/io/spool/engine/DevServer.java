package io.spool.engine;

import io.spool.engine.internal.TemporalConnection;
import io.spool.media.EnvironmentException;
import io.spool.volumes.VolumeStore;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

/**
 * The local stand-in for a cluster: Temporal's in-process service bound to a port, the coordinator,
 * and (unless told otherwise) a media worker with this host's cores. Submitters and
 * {@code spool worker} processes on this host (or any host that reaches the port and shares the job
 * store and files) use it through {@code SPOOL_TEMPORAL=localhost:PORT}. Its service keeps
 * workflows in memory only: when it starts again, the coordinator starts again the batches that
 * the job store says are unfinished.
 */
public final class DevServer implements AutoCloseable {
  private final TestServer.PortBoundTestServer server;
  private final TemporalConnection connection;
  private final JobStore store;
  private final Coordinator coordinator;
  private final MediaWorker media;
  private final int port;
  private final List<String> resumed;

  private DevServer(TestServer.PortBoundTestServer server, TemporalConnection connection, JobStore store,
      Coordinator coordinator, MediaWorker media, int port, List<String> resumed) {
    this.server = server;
    this.connection = connection;
    this.store = store;
    this.coordinator = coordinator;
    this.media = media;
    this.port = port;
    this.resumed = resumed;
  }

  /**
   * Starts the service on {@code port} with the coordinator and, where {@code workerCores > 0}, a
   * media worker of that many cores.
   *
   * @throws EnvironmentException when the port is taken
   */
  public static DevServer start(EngineConfig config, int port, int workerCores) {
    checkFree(port);
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port);
    TemporalConnection connection = TemporalConnection.to(TemporalSettings.of("localhost:" + port),
        WorkerRef.thisProcess("dev-server").identity());
    JobStore store = JobStore.at(config.home());
    Coordinator coordinator = Coordinator.register(connection.factory(), store, config.prices(), "localhost:" + port);
    MediaWorker media = null;
    if (workerCores > 0) {
      EngineConfig workers = config.withCpuCores(workerCores);
      media = MediaWorker.register(connection.factory(), workers, VolumeStore.at(workers.volumesDir()),
          WorkerRef.thisProcess("dev"), workers.gpuEncode() ? List.of(Resources.CPU_QUEUE, Resources.GPU_QUEUE)
              : List.of(Resources.CPU_QUEUE));
    }
    connection.factory().start();
    if (media != null) {
      media.announce(store);
    }
    List<String> resumed = coordinator.resumeLostBatches();
    return new DevServer(server, connection, store, coordinator, media, port, resumed);
  }

  private static void checkFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(port));
    } catch (IOException e) {
      throw new EnvironmentException("port " + port + " is in use (another spool dev-server or Temporal service?): "
          + e.getMessage());
    }
  }

  public int port() {
    return port;
  }

  /** The media worker in this process, if it has one. */
  public java.util.Optional<MediaWorker> mediaWorker() {
    return java.util.Optional.ofNullable(media);
  }

  /** The batches that were unfinished in the job store and started again as this server started. */
  public List<String> resumedBatches() {
    return resumed;
  }

  /**
   * Stops: the media worker lets its running jobs finish within {@code grace} (then ends them),
   * then the coordinator and the service stop. Workflows still running are lost with the
   * service; the next start runs their unfinished jobs again.
   */
  public void stop(Duration grace) {
    if (media != null) {
      media.drain(grace);
    }
    close();
  }

  @Override
  public void close() {
    coordinator.close();
    if (media != null) {
      media.stopNow(Duration.ofSeconds(30));
    }
    connection.close();
    server.close();
    store.close();
  }
}
