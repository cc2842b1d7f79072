package io.spool.cli;

import io.spool.engine.CoordinatorHost;
import io.spool.engine.EngineConfig;
import io.spool.engine.TemporalSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code spool coordinator}: the coordinator (and optionally a media worker) on a Temporal cluster, until stopped. */
@Command(name = "coordinator", description = {
    "Run the coordinator on a shared Temporal service (a cluster) until Ctrl-C or SIGTERM: it runs the batches",
    "submitted there, passes on cancel requests and starts again batches whose workflow was lost. With a media worker",
    "for this host's cores unless --no-workers or --workers N. A service that does not answer yet is waited for.",
    "Several may run on one namespace (a rolling update): they share the work. `spool dev-server` runs one on its own",
    "in-process service."})
final class CoordinatorCommand extends SpoolSubcommand {
  @Mixin ServiceOptions service;

  @Mixin HostedWorkerOptions workers;

  @Mixin GraceOption grace;

  @Override
  public Integer call() throws InterruptedException {
    TemporalSettings target = service.settings().orElse(TemporalSettings.of("localhost:7233"));
    EngineConfig config = engineConfig().build();
    int cores = workers.cores(config);
    CoordinatorHost host = CoordinatorHost.connect(target, config, cores, "coordinator");
    AtomicBoolean serving = new AtomicBoolean();
    try {
      CountDownLatch stopped = new CountDownLatch(1);
      Signals.onStop(() -> {
        synchronized (serving) {
          if (serving.get()) {
            host.mediaWorker().ifPresent(w -> {
              err().println("spool coordinator: " + WorkerCommand.draining(w.runningJobs(), grace.grace));
              err().flush();
            });
            host.stop(grace.grace);
          }
          stopped.countDown();
        }
      });
      if (!ServiceWait.untilAnswers(host::serviceAnswers, "spool coordinator", target.target(), stopped, err())) {
        return ExitCodes.OK; // stopped while it waited
      }
      synchronized (serving) {
        if (stopped.getCount() == 0) {
          return ExitCodes.OK;
        }
        host.start();
        serving.set(true);
      }
      Map<String, Object> started = new LinkedHashMap<>();
      started.put("temporal", target.target());
      started.put("namespace", target.namespace());
      started.put("service", host.serviceName());
      started.put("workerCores", cores);
      started.put("worker", host.mediaWorker().map(w -> w.self().id()).orElse(null));
      started.put("resumedBatches", host.resumedBatches());
      print(started, "spool coordinator: running batches on " + target.target() + " (namespace " + target.namespace()
          + ", service " + host.serviceName() + ")"
          + (cores > 0 ? ", media worker with " + Units.count(cores, "core") : ", no media worker (start `spool worker`)")
          + (host.resumedBatches().isEmpty() ? "" : "; started again: " + String.join(", ", host.resumedBatches()))
          + "   (Ctrl-C stops it)");
      ServiceWait.untilStopped(host::serviceReachable, "spool coordinator", target.target(), stopped, this);
    } finally {
      if (!serving.get()) {
        host.close(); // never started: its store and connection still close (a started one closed as it stopped)
      }
    }
    return ExitCodes.OK;
  }
}
