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
 * latency of handing a job to a worker and its outcome back. Over the port it also reads the
 * batch workflow's history from the service: the dispatch latency proper is the time from an
 * activity's scheduling to a worker's taking it (ActivityTaskScheduled to ActivityTaskStarted);
 * the rest of a job's round trip is the workflow's own bookkeeping between jobs (its records in
 * the store), which an in-process service pays as well.
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
      String batchId = engine.store().jobs(new io.spool.engine.JobStore.JobQuery(null, null, 1, null)).jobs().get(0).batchId();
      List<Double> dispatch = scheduledToStarted(target, batchId);
      System.out.printf("dispatch latency over the port (scheduled -> taken by the worker, %d jobs of the last round): "
          + "median %.1f ms, 90th percentile %.1f ms (target <= 5 ms)%n", dispatch.size(), dispatch.get(dispatch.size() / 2),
          dispatch.get(dispatch.size() * 9 / 10));
      System.out.printf("a job's whole round trip one at a time: over the port %.2f ms, in-process %.2f ms%n", overPort, embedded);
    }
  }

  /** For each activity of a workflow, milliseconds from its scheduling to a worker's taking it, sorted. */
  static List<Double> scheduledToStarted(io.spool.engine.TemporalSettings target, String workflowId) {
    io.temporal.serviceclient.WorkflowServiceStubs stubs = io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
        io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder().setTarget(target.target()).build());
    try {
      Map<Long, Long> scheduledAt = new java.util.HashMap<>();
      List<Double> ms = new ArrayList<>();
      for (io.temporal.api.history.v1.HistoryEvent e
          : io.temporal.client.WorkflowClient.newInstance(stubs).fetchHistory(workflowId).getEvents()) {
        long micros = e.getEventTime().getSeconds() * 1_000_000L + e.getEventTime().getNanos() / 1000;
        if (e.hasActivityTaskScheduledEventAttributes()) {
          scheduledAt.put(e.getEventId(), micros);
        } else if (e.hasActivityTaskStartedEventAttributes()) {
          ms.add((micros - scheduledAt.get(e.getActivityTaskStartedEventAttributes().getScheduledEventId())) / 1000.0);
        }
      }
      ms.sort(Double::compare);
      return ms;
    } finally {
      stubs.shutdownNow();
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
