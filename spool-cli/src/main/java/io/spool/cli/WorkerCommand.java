package io.spool.cli;

import io.spool.engine.EngineConfig;
import io.spool.engine.MediaWorker;
import io.spool.engine.Resources;
import io.spool.engine.TemporalSettings;
import io.spool.engine.WorkerRef;
import io.spool.media.BadArgumentException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spool worker}: a media worker process for a shared Temporal service. */
@Command(name = "worker", description = {
    "Run jobs from a shared Temporal service (spool dev-server, or a cluster) until Ctrl-C or SIGTERM, which stops",
    "taking work, lets running jobs finish within --grace and then ends them, so that other workers run them again.",
    "A service that does not answer yet is waited for."})
final class WorkerCommand extends SpoolSubcommand {
  @Mixin ServiceOptions service;

  @Option(names = "--queues", defaultValue = "cpu", split = ",", paramLabel = "Q",
      description = "Task queues to serve: cpu, gpu (gpu only where spool doctor proved a GPU encoder; default: ${DEFAULT-VALUE}).")
  List<String> queues;

  @Option(names = "--cpu", paramLabel = "N", description = "Capacity in cores (default: this host's cores).")
  Integer cpu;

  @Option(names = "--memory", paramLabel = "MiB",
      description = "Capacity in memory: jobs run side by side while their memory adds up to this (default: no limit).")
  Integer memory;

  @picocli.CommandLine.Mixin GraceOption grace;

  @Override
  public Integer call() throws InterruptedException {
    for (String q : queues) {
      if (!q.equals(Resources.CPU_QUEUE) && !q.equals(Resources.GPU_QUEUE)) {
        throw new BadArgumentException("unknown queue '" + q + "'; use cpu, gpu or cpu,gpu");
      }
    }
    if (cpu != null && cpu < 1) {
      throw new BadArgumentException("--cpu must be at least 1, got " + cpu);
    }
    if (memory != null && memory < 64) {
      throw new BadArgumentException("--memory must be at least 64 MiB, got " + memory);
    }
    TemporalSettings target = service.settings().orElse(TemporalSettings.of("localhost:7233"));
    EngineConfig base = engineConfig().build();
    EngineConfig config = base.withCapacity(cpu != null ? cpu : base.cpuCores(), memory != null ? memory : 0);
    WorkerRef self = WorkerRef.thisProcess("w");
    MediaWorker worker = MediaWorker.connect(target, config, self, queues.stream().distinct().toList());
    AtomicBoolean serving = new AtomicBoolean();
    try {
      if (worker.queues().isEmpty()) {
        throw new io.spool.media.EnvironmentException("no queue to serve: gpu needs a GPU encoder proven by spool doctor");
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Signals.onStop(() -> {
        synchronized (serving) {
          if (serving.get()) {
            err().println("spool worker: " + draining(worker.runningJobs(), grace.grace));
            err().flush();
            long start = System.nanoTime();
            worker.drain(grace.grace);
            boolean inTime = System.nanoTime() - start < grace.grace.toNanos();
            err().println("spool worker: " + (inTime ? "drained: its running jobs finished; stopped"
                : "stopped: jobs still running after the grace period were ended; other workers run them again"));
            err().flush();
          }
          stopped.countDown();
        }
      });
      if (!ServiceWait.untilAnswers(worker::serviceAnswers, "spool worker", target.target(), stopped, err())) {
        return ExitCodes.OK; // stopped while it waited
      }
      synchronized (serving) {
        if (stopped.getCount() == 0) {
          return ExitCodes.OK;
        }
        worker.start();
        serving.set(true);
      }
      Map<String, Object> started = new LinkedHashMap<>();
      started.put("worker", self);
      started.put("temporal", target.target());
      started.put("queues", worker.queues());
      started.put("cpu", config.cpuCores());
      started.put("memoryMiB", config.memoryMiB());
      print(started, "spool worker " + self.id() + ": serving " + String.join(",", worker.queues()) + " on " + target.target()
          + " with " + Units.count(config.cpuCores(), "core") + (config.memoryMiB() > 0 ? " and " + config.memoryMiB() + " MiB" : "")
          + "   (Ctrl-C stops it)");
      ServiceWait.untilStopped(worker::serviceReachable, "spool worker", target.target(), stopped, this);
    } finally {
      // A worker that never started has nothing to hand back, and closing Temporal's client would
      // only have it call (and log about) a service that cannot answer: the process ends now.
      if (serving.get()) {
        worker.close();
      }
    }
    return ExitCodes.OK;
  }

  /** What a service that stops says as it begins to drain its {@code running} jobs. */
  static String draining(int running, java.time.Duration grace) {
    return "draining: " + (running == 0 ? "no job is running"
        : Units.count(running, "running job") + (running == 1 ? " gets" : " get") + " up to " + Units.duration(grace)
            + " to finish");
  }
}
