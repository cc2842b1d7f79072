import io.spool.engine.EngineConfig;
import io.spool.engine.JobContext;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobResult;
import io.spool.engine.JobSpec;
import io.spool.engine.JobState;
import io.spool.engine.JobType;
import io.spool.engine.SpoolEngine;
import io.spool.media.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dispatch overhead of the embedded engine: start time, then N no-op jobs through the whole path
 * (records, batch workflow, activity with scratch and heartbeats). Run by bench/dispatch-overhead.
 * With a third argument {@code latency} (bench/workers): N no-op jobs one after another, through
 * the in-process service and then through a port-bound one that the submitter, the coordinator
 * and a media worker reach over gRPC, as separate processes would: the time per job is the
 * latency of handing a job to a worker and its outcome back.
 */
public class DispatchOverhead {
  static final class Noop implements JobType {
    @Override
    public String name() {
      return "noop";
    }

    @Override
    public JobResult run(JobContext ctx, Map<String, Object> params) {
      return new JobResult(List.of(), Metrics.ZERO, 0, Map.of());
    }
  }

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    if (args.length > 2 && args[2].equals("latency")) {
      latency(jobs, rounds);
      return;
    }
    Path home = Files.createTempDirectory("spool-dispatch-");
    long t0 = System.nanoTime();
    try (SpoolEngine engine = SpoolEngine.embedded(EngineConfig.newBuilder(home).jobType(new Noop()).build())) {
      double startMs = (System.nanoTime() - t0) / 1e6;
      System.out.printf("engine start: %.0f ms (target <= 2000 ms; in-engine %d ms)%n", startMs, engine.startTime().toMillis());
      double median = rounds(engine, jobs, rounds, Integer.parseInt(System.getProperty("concurrency", "" + jobs)), "");
      System.out.printf("median: %.2f ms per job (target <= 5 ms)%n", median);
    }
  }

  static void latency(int jobs, int rounds) throws Exception {
    Path home = Files.createTempDirectory("spool-latency-");
    EngineConfig config = EngineConfig.newBuilder(home).jobType(new Noop()).build();
    double embedded;
    try (SpoolEngine engine = SpoolEngine.embedded(config)) {
      embedded = sequential(engine, jobs, rounds, "in-process service");
    }
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    io.spool.engine.TemporalSettings target = io.spool.engine.TemporalSettings.of("localhost:" + port);
    try (io.spool.engine.DevServer server = io.spool.engine.DevServer.start(config, port, 0);
        io.spool.engine.MediaWorker worker = io.spool.engine.MediaWorker.connect(target, config,
            io.spool.engine.WorkerRef.thisProcess("bench"), List.of("cpu"));
        SpoolEngine engine = SpoolEngine.connect(config, target)) {
      worker.start();
      double overPort = sequential(engine, jobs, rounds, "over the port");
      System.out.printf("dispatch latency over the port: %.2f ms per job (target <= 5 ms); in-process %.2f ms%n",
          overPort, embedded);
    }
  }

  /** The median time per job of {@code jobs} no-op jobs run one at a time, in {@code rounds} rounds. */
  static double sequential(SpoolEngine engine, int jobs, int rounds, String what) {
    return rounds(engine, jobs, rounds, 1, what + ", one at a time, ");
  }

  /** The median time per job of {@code jobs} no-op jobs, {@code concurrency} at once, in {@code rounds} rounds. */
  static double rounds(SpoolEngine engine, int jobs, int rounds, int concurrency, String what) {
    engine.remote(JobSpec.of("noop", Map.of()));  // warm-up
    List<Double> perJob = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      List<JobSpec> specs = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        specs.add(JobSpec.of("noop", Map.of("i", i)));
      }
      long s = System.nanoTime();
      List<JobOutcome> out = engine.map(specs, concurrency, false).toList();
      double ms = (System.nanoTime() - s) / 1e6;
      long ok = out.stream().filter(o -> o.state() == JobState.SUCCEEDED).count();
      perJob.add(ms / jobs);
      System.out.printf("%sround %d: %d no-op jobs (%d succeeded) in %.0f ms = %.2f ms per job%n", what, r, jobs, ok, ms, ms / jobs);
    }
    perJob.sort(Double::compare);
    return perJob.get(perJob.size() / 2);
  }
}
