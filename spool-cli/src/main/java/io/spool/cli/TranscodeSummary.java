package io.spool.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.spool.engine.JobCost;
import io.spool.engine.JobOutcome;
import io.spool.media.Metrics;
import java.util.Locale;
import java.util.Map;

/** How a finished transcode job is reported: the JSON shape and the human summary. */
record TranscodeSummary(String job, Result result, JobCost cost) {

  /**
   * What was made.
   *
   * @param size width x height of the output picture, null without video
   * @param streams the output's stream codecs, e.g. {@code h264/aac}
   * @param speed media seconds per wall second of the successful attempt
   * @param fallback why a GPU job was encoded on the CPU, if it was
   * @param chunks how many chunks a chunked transcode encoded the video in (absent otherwise)
   * @param reusedChunks how many of them a resumed chunked transcode found already made
   * @param quality the output measured against the input, with {@code --measure-quality}
   */
  record Result(String input, String output, String preset, String videoCodec, long inputBytes, long outputBytes,
      double durationSeconds, String size, String streams, double speed, int attempts, Metrics metrics, String fallback,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer chunks,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer reusedChunks,
      QualitySummary quality) {}

  static TranscodeSummary of(JobOutcome o) {
    Map<String, String> d = o.details();
    return new TranscodeSummary(o.jobId(), new Result(o.input(), o.output(), d.get("preset"), d.get("videoCodec"),
        bytes(d.get("inputBytes")), bytes(d.get("outputBytes")), o.mediaSeconds(), d.get("size"), d.get("streams"),
        o.speed(), o.attempts(), o.metrics(), d.get("fallback"), count(d.get("chunks")), count(d.get("reusedChunks")),
        QualitySummary.from(d, "quality.")), o.cost());
  }

  private static Integer count(String v) {
    return v == null ? null : Integer.valueOf(v);
  }

  private static long bytes(String v) {
    return v == null ? 0 : Long.parseLong(v);
  }

  String human() {
    Result r = result;
    StringBuilder sb = new StringBuilder();
    sb.append("transcoded ").append(r.input()).append(" → ").append(r.output()).append('\n');
    double ratio = r.inputBytes() > 0 ? 100.0 * r.outputBytes() / r.inputBytes() : 0;
    sb.append(String.format(Locale.ROOT, "  size      %s → %s (%.0f%%)%n",
        Units.bytes(r.inputBytes()), Units.bytes(r.outputBytes()), ratio));
    sb.append(String.format(Locale.ROOT, "  media     %s, %s%s, preset %s%n", Units.seconds(r.durationSeconds()),
        r.size() != null ? r.size() + " " : "", r.streams(), r.preset()));
    if (r.fallback() != null) {
      sb.append("  encoder   ").append(r.fallback()).append('\n');
    }
    if (r.chunks() != null) {
      sb.append("  chunks    ").append(r.chunks()).append(r.reusedChunks() != null && r.reusedChunks() > 0
          ? " (" + r.reusedChunks() + " kept from an earlier run)" : "").append('\n');
    }
    if (r.quality() != null) {
      sb.append(r.quality().human("  ")).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "  speed     %.2fx realtime (%s wall)%n",
        r.speed(), Units.seconds(r.metrics().wallSeconds())));
    sb.append(String.format(Locale.ROOT, "  usage     %.2f CPU-seconds, peak memory %s%n",
        r.metrics().cpuSeconds(), Units.bytes(r.metrics().peakRssBytes())));
    sb.append(String.format(Locale.ROOT, "  cost      %s (CPU %s + memory %s%s)%n", Units.usd(cost.totalUsd()),
        Units.usd(cost.cpuUsd()), Units.usd(cost.memoryUsd()), cost.gpuUsd() > 0 ? " + GPU " + Units.usd(cost.gpuUsd()) : ""));
    sb.append("  job       ").append(job).append(r.attempts() > 1 ? ", " + r.attempts() + " attempts" : "")
        .append(" (spool jobs show ").append(job).append(')');
    return sb.toString();
  }
}
