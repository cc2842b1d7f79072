package io.spool.cli;

import io.spool.engine.HlsJob;
import io.spool.engine.JobCost;
import io.spool.engine.JobOutcome;
import io.spool.engine.SpoolEngine;
import io.spool.media.Metrics;
import io.spool.media.hls.HlsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool hls IN --out DIR --ladder 1080,720,480}: an HLS ladder of one file, as one job. */
@Command(name = "hls", description = {
    "Make an HLS ladder of one file as a job: a master playlist and, per rung, a media playlist and",
    "its segments, cut at the same times in every rung. Rungs taller than the input are left out.",
    "The folder appears only when every rung is complete."})
final class HlsCommand extends SpoolSubcommand {
  @Parameters(index = "0", paramLabel = "IN", description = "Input media file or VOLUME:path.")
  String input;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR|VOLUME:PATH",
      description = "The folder to make (it must not exist, unless --overwrite).")
  String output;

  @Mixin HlsFlags flags;

  @Mixin JobFlags job;

  @Mixin ServiceOptions service;

  /** One rung as reported. */
  record Rung(String name, String size, long bandwidth, long averageBandwidth, String codecs, int segments, long bytes) {}

  /**
   * What was made.
   *
   * @param dropped ladder heights left out because the input is not that tall
   */
  record Result(String input, String output, String master, List<Rung> rungs, List<Integer> dropped, long outputBytes,
      double durationSeconds, double speed, int attempts, Metrics metrics) {}

  record Summary(String job, Result result, JobCost cost) {}

  @Override
  public Integer call() {
    HlsOptions options = flags.options();
    try (SpoolEngine engine = startEngine(service.settings())) {
      String in = JobWait.ref(engine, input);
      String out = JobWait.ref(engine, output);
      JobOutcome o = JobWait.run(engine, HlsJob.spec(in, out, options,
          job.resources(engine.config().cpuCores(), TranscodeCommand.FILE_TIMEOUT), job.overwrite),
          JobWait.fileName(in), common, err());
      Summary s = summary(o);
      print(s, human(s));
      return ExitCodes.OK;
    }
  }

  static Summary summary(JobOutcome o) {
    Map<String, String> d = o.details();
    List<Rung> rungs = new ArrayList<>();
    for (String name : d.getOrDefault("rungs", "").split(",")) {
      if (!name.isEmpty()) {
        String k = "rung." + name + ".";
        rungs.add(new Rung(name, d.get(k + "size"), number(d.get(k + "bandwidth")), number(d.get(k + "averageBandwidth")),
            d.get(k + "codecs"), (int) number(d.get(k + "segments")), number(d.get(k + "bytes"))));
      }
    }
    List<Integer> dropped = d.containsKey("dropped") ? HlsOptions.parseLadder(d.get("dropped")) : List.of();
    return new Summary(o.jobId(), new Result(o.input(), o.output(), d.get("master"), rungs, dropped,
        number(d.get("outputBytes")), o.mediaSeconds(), o.speed(), o.attempts(), o.metrics()), o.cost());
  }

  private static long number(String v) {
    return v == null ? 0 : Long.parseLong(v);
  }

  private static String human(Summary s) {
    Result r = s.result();
    StringBuilder sb = new StringBuilder();
    sb.append("HLS ladder of ").append(r.input()).append(" → ").append(r.output()).append('/').append(r.master()).append('\n');
    for (Rung rung : r.rungs()) {
      sb.append(String.format(Locale.ROOT, "  %-8s  %-9s  peak %s, mean %s, %d segments, %s%n", rung.name(), rung.size(),
          rate(rung.bandwidth()), rate(rung.averageBandwidth()), rung.segments(), Units.bytes(rung.bytes())));
    }
    if (!r.dropped().isEmpty()) {
      sb.append("  left out ").append(r.dropped()).append(": taller than the input, never upscaled\n");
    }
    sb.append(String.format(Locale.ROOT, "  speed     %.2fx realtime (%s wall)%n", r.speed(), Units.seconds(r.metrics().wallSeconds())));
    sb.append(String.format(Locale.ROOT, "  usage     %.2f CPU-seconds, peak memory %s%n", r.metrics().cpuSeconds(),
        Units.bytes(r.metrics().peakRssBytes())));
    sb.append("  cost      ").append(Units.usd(s.cost().totalUsd())).append('\n');
    sb.append("  job       ").append(s.job()).append(r.attempts() > 1 ? ", " + r.attempts() + " attempts" : "")
        .append(" (spool jobs show ").append(s.job()).append(')');
    return sb.toString();
  }

  private static String rate(long bitsPerSecond) {
    return bitsPerSecond >= 1_000_000 ? String.format(Locale.ROOT, "%.2f Mbit/s", bitsPerSecond / 1e6)
        : String.format(Locale.ROOT, "%d kbit/s", Math.round(bitsPerSecond / 1e3));
  }
}
