package io.spool.engine;

import io.spool.media.EnvironmentException;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The local stand-in for a cluster: Temporal's in-process service bound to a port, with a
 * {@link CoordinatorHost} on it: the coordinator and (unless told otherwise) a media worker with
 * this host's cores. Submitters and {@code spool worker} processes on this host (or any host that
 * reaches the port and shares the job store and files) use it through
 * {@code SPOOL_TEMPORAL=localhost:PORT}. Its service keeps workflows in memory only: when it starts
 * again, the coordinator starts again the batches that the job store says are unfinished.
 */
public final class DevServer implements AutoCloseable {
  private final TestServer.PortBoundTestServer server;
  private final CoordinatorHost host;
  private final int port;

  private DevServer(TestServer.PortBoundTestServer server, CoordinatorHost host, int port) {
    this.server = server;
    this.host = host;
    this.port = port;
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
    try {
      // Named as a coordinator of a cluster reached at localhost:PORT names it: this host's own
      // name and the port, the same after a restart whatever address a submitter reached it by.
      CoordinatorHost host = CoordinatorHost.connect(TemporalSettings.of("localhost:" + port), config, workerCores,
          "dev-server", false);
      try {
        host.start();
      } catch (RuntimeException | Error e) {
        host.close();
        throw e;
      }
      return new DevServer(server, host, port);
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
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
  public Optional<MediaWorker> mediaWorker() {
    return host.mediaWorker();
  }

  /** The batches that were unfinished in the job store and started again as this server started. */
  public List<String> resumedBatches() {
    return host.resumedBatches();
  }

  /**
   * Stops: the media worker lets its running jobs finish within {@code grace} (then ends them),
   * then the coordinator and the service stop. Workflows still running are lost with the
   * service; the next start runs their unfinished jobs again.
   */
  public void stop(Duration grace) {
    host.stop(grace);
    server.close();
  }

  @Override
  public void close() {
    host.close();
    server.close();
  }
}
