package io.spool.cli;

import io.spool.engine.DevServer;
import io.spool.engine.EngineConfig;
import io.spool.media.BadArgumentException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spool dev-server}: a Temporal service on a port, the coordinator and media workers, until stopped. */
@Command(name = "dev-server", description = {
    "Run a local Temporal service on a port with the coordinator and (by default) media workers for this host's",
    "cores, until Ctrl-C or SIGTERM. Other commands use it with SPOOL_TEMPORAL=localhost:PORT or --temporal;",
    "`spool worker` processes add capacity. Workflows live in memory: on restart, unfinished batches run again."})
final class DevServerCommand extends SpoolSubcommand {
  @Option(names = "--port", defaultValue = "7233", description = "Port of the Temporal service (default: ${DEFAULT-VALUE}).")
  int port;

  @picocli.CommandLine.Mixin HostedWorkerOptions workers;

  @picocli.CommandLine.Mixin GraceOption grace;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 1 || port > 65535) {
      throw new BadArgumentException("--port must be 1-65535, got " + port);
    }
    EngineConfig config = engineConfig().build();
    int cores = workers.cores(config);
    CountDownLatch stopped = new CountDownLatch(1);
    DevServer server = DevServer.start(config, port, cores);
    Signals.onStop(() -> {
      server.mediaWorker().ifPresent(w -> {
        err().println("spool dev-server: " + WorkerCommand.draining(w.runningJobs(), grace.grace));
        err().flush();
      });
      server.stop(grace.grace);
      stopped.countDown();
    });
    Map<String, Object> started = new LinkedHashMap<>();
    started.put("temporal", "localhost:" + port);
    started.put("workerCores", cores);
    started.put("worker", server.mediaWorker().map(w -> w.self().id()).orElse(null));
    started.put("resumedBatches", server.resumedBatches());
    print(started, "spool dev-server: Temporal on localhost:" + port + ", coordinator"
        + (cores > 0 ? ", media worker with " + Units.count(cores, "core") : ", no media worker (start `spool worker`)")
        + (server.resumedBatches().isEmpty() ? "" : "; started again: " + String.join(", ", server.resumedBatches()))
        + "\nUse it with: export SPOOL_TEMPORAL=localhost:" + port + "   (Ctrl-C stops it)");
    stopped.await();
    return ExitCodes.OK;
  }
}
