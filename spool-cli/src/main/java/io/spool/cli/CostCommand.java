package io.spool.cli;

import io.spool.engine.JobCost;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.engine.Resources;
import io.spool.engine.ResultsManifest;
import io.spool.engine.SpoolEngine;
import io.spool.engine.TranscodeJob;
import io.spool.media.BadArgumentException;
import io.spool.media.Metrics;
import io.spool.media.PriceTable;
import io.spool.media.SampleMedia;
import io.spool.media.TranscodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool cost}: what a past batch cost, or what a planned one will, from measured rates. */
@Command(name = "cost", description = {
    "Cost of a past batch from its results manifest, or --estimate a planned one from rates measured",
    "on this host (past transcode jobs; a short calibration job when there are none)."})
final class CostCommand extends SpoolSubcommand {
  @Parameters(arity = "0..1", paramLabel = "RESULTS", description = "A batch's spool-results.jsonl.")
  Path results;

  @Option(names = "--estimate", description = "Estimate a planned batch instead.")
  boolean estimate;

  @Option(names = "--videos", defaultValue = "1000", description = "Planned number of videos (default: ${DEFAULT-VALUE}).")
  int videos;

  @Option(names = "--seconds", defaultValue = "10", description = "Length of each video in seconds (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--cpu", defaultValue = "1", description = "Cores per job (default: ${DEFAULT-VALUE}).")
  int cpu;

  @Option(names = "--gpu", paramLabel = "KIND", description = "Also estimate on this GPU kind (e.g. t4), if GPU jobs were measured here.")
  String gpu;

  /** {@code skipped}: manifest lines that could not be counted, each named in a warning on stderr. */
  record Totals(int jobs, int succeeded, int failed, int cancelled, double cpuSecondsUsed, double reservedCpuSeconds,
      double memoryGibSeconds, double gpuSeconds, double costUsd, int skipped) {}

  /** {@code skippedRecords}: damaged job records left out of the measurements, each named in a warning on stderr. */
  record Estimate(String basis, int videos, double secondsEach, int cpuPerJob, double cpuSecondsPerMediaSecond,
      double costUsd, double costPerVideoUsd, double hoursOnThisHost, Map<String, Object> gpu, int skippedRecords) {}

  @Override
  public Integer call() {
    if (estimate) {
      return estimate();
    }
    if (results == null) {
      throw new BadArgumentException("give a results manifest (spool-results.jsonl) or --estimate");
    }
    if (!Files.isRegularFile(results)) {
      throw new io.spool.media.InputNotFoundException("results manifest not found: " + results);
    }
    ResultsManifest.Contents contents = ResultsManifest.scan(results);
    contents.skipped().forEach(s -> warn("skipped " + s));
    Map<String, ResultsManifest.Line> latest = ResultsManifest.latestByInput(contents.lines());
    JobCost sum = JobCost.ZERO;
    for (ResultsManifest.Line l : contents.lines()) {
      sum = sum.plus(l.cost() == null ? JobCost.ZERO : l.cost());
    }
    ResultsManifest.Tally tally = ResultsManifest.Tally.of(latest.values());
    int ok = tally.succeeded();
    int failed = tally.failed();
    int cancelled = tally.cancelled();
    Totals t = new Totals(latest.size(), ok, failed, cancelled, sum.cpuSecondsUsed(), sum.reservedCpuSeconds(),
        Math.max(sum.peakMemoryGibSeconds(), sum.reservedMemoryGibSeconds()), sum.gpuSeconds(), sum.totalUsd(),
        contents.skipped().size());
    print(t, String.format(Locale.ROOT,
        "%s (%d succeeded, %d failed, %d cancelled), every attempt counted:%n"
            + "  CPU       %.2f s used, %.2f s reserved%n  memory    %.2f GiB-s%n  GPU       %.2f s%n  cost      %s",
        Units.count(t.jobs(), "job"), ok, failed, cancelled, t.cpuSecondsUsed(), t.reservedCpuSeconds(), t.memoryGibSeconds(),
        t.gpuSeconds(), Units.usd(t.costUsd()))
        + (t.skipped() == 0 ? "" : String.format(Locale.ROOT, "%n  %s skipped (see the warnings)", Units.count(t.skipped(), "line"))));
    return ExitCodes.OK;
  }

  private Integer estimate() {
    if (videos < 1 || seconds <= 0 || cpu < 1) {
      throw new BadArgumentException("--videos, --seconds and --cpu must be positive");
    }
    try (JobStore store = jobStore()) {
      return estimate(store);
    }
  }

  private Integer estimate(JobStore store) {
    java.util.concurrent.atomic.AtomicInteger skippedRecords = new java.util.concurrent.atomic.AtomicInteger();
    store.onSkippedRecord(message -> {
      skippedRecords.incrementAndGet();
      warn(message);
    });
    List<JobOutcome> measured = measured(store, false);
    String basis;
    if (measured.isEmpty()) {
      calibrate();
      measured = measured(store, false);
      basis = "a calibration job just run on this host (5 s of 720p)";
    } else {
      basis = Units.count(measured.size(), "transcode job") + " measured on this host";
    }
    PriceTable prices = PriceTable.REFERENCE;
    double media = measured.stream().mapToDouble(JobOutcome::mediaSeconds).sum();
    double cpuRate = measured.stream().mapToDouble(o -> o.metrics().cpuSeconds()).sum() / media;
    double wallRate = measured.stream().mapToDouble(o -> o.metrics().wallSeconds()).sum() / media;
    long peak = (long) measured.stream().mapToLong(o -> o.metrics().peakRssBytes()).average().orElse(0);
    // Fewer cores per job run slower; scale the measured wall time by the CPU each job may use.
    double wallEach = Math.max(seconds * wallRate, seconds * cpuRate / cpu);
    Metrics each = new Metrics(wallEach, seconds * cpuRate, 0, peak);
    JobCost one = JobCost.of(Resources.newBuilder().cpu(cpu).build(), each, prices);
    int slots = Math.max(1, Runtime.getRuntime().availableProcessors() / cpu);
    double hours = videos * wallEach / slots / 3600;
    Map<String, Object> gpuEstimate = new LinkedHashMap<>();
    if (gpu != null) {
      List<JobOutcome> g = measured(store, true);
      if (g.isEmpty()) {
        gpuEstimate.put("kind", gpu);
        gpuEstimate.put("available", false);
        gpuEstimate.put("reason", "no GPU transcode has been measured on this host (GPU encode not proven here); run one on a GPU worker first");
      } else {
        double gMedia = g.stream().mapToDouble(JobOutcome::mediaSeconds).sum();
        double gWall = g.stream().mapToDouble(o -> o.metrics().wallSeconds()).sum() / gMedia;
        JobCost gOne = JobCost.of(Resources.newBuilder().gpu(gpu).build(), new Metrics(seconds * gWall, 0, 0, peak), prices);
        gpuEstimate.put("kind", gpu);
        gpuEstimate.put("available", true);
        gpuEstimate.put("costUsd", gOne.totalUsd() * videos);
      }
    }
    Estimate e = new Estimate(basis, videos, seconds, cpu, cpuRate, one.totalUsd() * videos, one.totalUsd(), hours, gpuEstimate,
        skippedRecords.get());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "estimate for %s of %.0f s (web preset, %d CPU per job), from %s:%n"
            + "  measured  %.3f CPU-seconds per media second%n"
            + "  CPU       %s total (%s per video); %.2f h on this host's %s",
        Units.count(videos, "video"), seconds, cpu, basis, cpuRate, Units.usd(e.costUsd()), Units.usd(e.costPerVideoUsd()), hours,
        Units.count(Runtime.getRuntime().availableProcessors(), "core")));
    if (gpu != null) {
      sb.append(String.format(Locale.ROOT, "%n  GPU %-5s %s", gpu, Boolean.TRUE.equals(gpuEstimate.get("available"))
          ? Units.usd((Double) gpuEstimate.get("costUsd")) + " total" : "not estimated: " + gpuEstimate.get("reason")));
    }
    if (e.skippedRecords() > 0) {
      sb.append(String.format(Locale.ROOT, "%n  %s left out (see the warnings)", Units.count(e.skippedRecords(), "damaged job record")));
    }
    print(e, sb.toString());
    return ExitCodes.OK;
  }

  private static List<JobOutcome> measured(JobStore store, boolean gpuJobs) {
    return store.jobs(JobState.SUCCEEDED).stream()
        .filter(r -> TranscodeJob.NAME.equals(r.type()) && r.outcome() != null && r.outcome().mediaSeconds() > 0)
        .filter(r -> gpuJobs == (r.resources().wantsGpu() && !r.outcome().details().containsKey("fallback")))
        .map(JobRecord::outcome)
        .toList();
  }

  private void calibrate() {
    Path dir = SpoolHome.dir().resolve("calibration");
    Path sample = dir.resolve("calibration-720p.mp4");
    if (!Files.isRegularFile(sample)) {
      SampleMedia.write(tools(), sample, 1280, 720, 30, 5);
    }
    try (SpoolEngine engine = startEngine()) {
      JobOutcome o = engine.remote(TranscodeJob.spec(sample.toString(), dir.resolve("calibration.web.mp4").toString(),
          TranscodeOptions.newBuilder().build(), Resources.newBuilder().cpu(1).build()));
      if (o.state() != JobState.SUCCEEDED) {
        throw new io.spool.media.SpoolException(io.spool.media.ErrorCode.JOB_FAILED, "calibration job failed: " + o.error());
      }
    }
  }

}
