package io.spool.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.spool.engine.JobCost;
import io.spool.engine.JobOutcome;
import io.spool.media.Metrics;
import io.spool.transcribe.Segment;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How a finished transcribe job is reported: the JSON shape and the human summary. */
record TranscribeSummary(String job, Result result, JobCost cost) {
  /** The longest text the human summary shows; --json and the files have all of it. */
  private static final int SHOWN_CHARS = 600;

  /**
   * What was made.
   *
   * @param model the Whisper model's file name, null for pocketsphinx
   * @param language the language spoken, null where the engine could not say
   * @param recognitionSeconds wall time of the recognition alone
   * @param realTimeFactor the job's wall time over the media's duration (below 1: faster than real time)
   * @param segments the timed segments; null when too many for the job's record (the files have them)
   * @param note something to know about the result, such as a model without weights
   * @param pieces how many pieces jobs transcribed side by side (1: the whole input in one job)
   * @param fallback why a job that asked for a GPU ran on the CPU, or null
   */
  record Result(String input, List<String> outputs, String engine, String model, String language, double durationSeconds,
      double recognitionSeconds, double realTimeFactor, String text, List<Segment> segments, int attempts,
      Metrics metrics, String note, int pieces, String fallback) {}

  /**
   * The summary of job {@code o}; where pieces of the input were transcribed by the {@code pieces}
   * jobs first, their usage and cost count too, and the wall time is the whole command's
   * ({@code wallSeconds}).
   */
  static TranscribeSummary of(JobOutcome o, List<JobOutcome> pieces, double wallSeconds) {
    Map<String, String> d = o.details();
    List<Segment> segments = null;
    if (d.containsKey("segments")) {
      try {
        segments = Json.MAPPER.readValue(d.get("segments"), new TypeReference<List<Segment>>() {});
      } catch (java.io.IOException e) {
        segments = null;
      }
    }
    Metrics metrics = o.metrics();
    JobCost cost = o.cost();
    for (JobOutcome p : pieces) {
      metrics = metrics.plus(p.metrics());
      cost = cost.plus(p.cost());
    }
    if (!pieces.isEmpty()) {
      metrics = new Metrics(wallSeconds, metrics.userSeconds(), metrics.systemSeconds(), metrics.peakRssBytes());
    }
    double wall = metrics.wallSeconds();
    List<String> outputs = o.output() == null ? List.of() : outputsOf(o);
    return new TranscribeSummary(o.jobId(), new Result(o.input(), outputs, d.get("engine"), d.get("model"), d.get("language"),
        o.mediaSeconds(), Double.parseDouble(d.getOrDefault("recognitionSeconds", "0")),
        o.mediaSeconds() > 0 ? wall / o.mediaSeconds() : 0, d.getOrDefault("text", ""), segments, o.attempts(),
        metrics, d.get("note"), Math.max(1, pieces.size()), d.get("fallback")), cost);
  }

  /** The job's outputs, from its record's parameters. */
  private static List<String> outputsOf(JobOutcome o) {
    String list = o.details().get("outputs");
    return list == null ? List.of(o.output()) : List.of(list.split("\n"));
  }

  String human() {
    Result r = result;
    StringBuilder sb = new StringBuilder();
    sb.append("transcribed ").append(r.input()).append(" → ").append(String.join(", ", r.outputs())).append('\n');
    sb.append(String.format(Locale.ROOT, "  media     %s, language %s, %s%s%s%n", Units.seconds(r.durationSeconds()),
        r.language() == null ? "unknown" : r.language(), r.engine(), r.model() == null ? "" : " (" + r.model() + ")",
        r.pieces() > 1 ? ", in " + r.pieces() + " pieces cut in pauses" : ""));
    if (r.note() != null) {
      sb.append("  note      ").append(r.note()).append('\n');
    }
    if (r.fallback() != null) {
      sb.append("  fallback  ").append(r.fallback()).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "  speed     real-time factor %.3f (%s wall for %s of media; recognition %s)%n",
        r.realTimeFactor(), Units.seconds(r.metrics().wallSeconds()), Units.seconds(r.durationSeconds()),
        Units.seconds(r.recognitionSeconds())));
    sb.append(String.format(Locale.ROOT, "  usage     %.2f CPU-seconds, peak memory %s%n",
        r.metrics().cpuSeconds(), Units.bytes(r.metrics().peakRssBytes())));
    sb.append(String.format(Locale.ROOT, "  cost      %s (CPU %s + memory %s)%n", Units.usd(cost.totalUsd()),
        Units.usd(cost.cpuUsd()), Units.usd(cost.memoryUsd())));
    sb.append("  job       ").append(job).append(r.attempts() > 1 ? ", " + r.attempts() + " attempts" : "")
        .append(" (spool jobs show ").append(job).append(")\n");
    String text = r.text().length() <= SHOWN_CHARS ? r.text() : r.text().substring(0, SHOWN_CHARS) + " …";
    sb.append(text.isEmpty() ? "  (no speech recognised)" : "  text      " + text);
    return sb.toString();
  }
}
