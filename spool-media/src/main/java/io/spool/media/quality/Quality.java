package io.spool.media.quality;

import io.spool.media.ErrorCode;
import io.spool.media.FFmpegCommand;
import io.spool.media.FFmpegRunner;
import io.spool.media.FFprobe;
import io.spool.media.Filter;
import io.spool.media.FilterChain;
import io.spool.media.FilterGraph;
import io.spool.media.Input;
import io.spool.media.InvalidInputException;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.Output;
import io.spool.media.Pad;
import io.spool.media.ProcessFailedException;
import io.spool.media.ProgressListener;
import io.spool.media.RunOptions;
import io.spool.media.RunResult;
import io.spool.media.SpoolException;
import io.spool.media.Toolchain;
import io.spool.media.UsageMeter;
import io.spool.media.VideoEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Measures PSNR and SSIM of a distorted video against its reference with ffmpeg's {@code psnr}
 * and {@code ssim} filters, in one decoding pass of both. The distorted picture is scaled to the
 * reference's (as displayed, turned upright) and both are converted to one pixel format, so that
 * a transcode that changed the size or the format can be judged against its source.
 * {@code Quality.using(tools).measure(reference, distorted, scratch, threads, timeout, listener)}.
 */
public final class Quality {
  private final Toolchain tools;

  private Quality(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static Quality using(Toolchain tools) {
    return new Quality(tools);
  }

  /**
   * Compares the main video tracks of two files.
   *
   * @param scratch a folder for the per-frame statistics, which are removed afterwards
   * @param threads ffmpeg's threads; null lets ffmpeg choose
   * @param timeout how long measuring may take; null for no limit
   * @throws InvalidInputException if either file is not media or has no video track
   */
  public QualityReport measure(Path reference, Path distorted, Path scratch, Integer threads, Duration timeout,
      ProgressListener listener) {
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    MediaInfo ref = FFprobe.using(metered).probe(reference); // its pixel format decides the depth compared at
    MediaInfo dist = FFprobe.using(metered).describe(distorted);
    MediaStream rv = video(ref);
    MediaStream dv = video(dist);
    int width = rv.quarterTurned() ? rv.height() : rv.width();
    int height = rv.quarterTurned() ? rv.width() : rv.height();
    Path dir;
    try {
      Files.createDirectories(scratch);
      dir = Files.createTempDirectory(scratch, "quality-");
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot make a folder for quality statistics in " + scratch + ": " + e);
    }
    try {
      Path psnrLog = dir.resolve("psnr.log");
      Path ssimLog = dir.resolve("ssim.log");
      FFmpegCommand command = command(ref, rv, dist, dv, width, height, psnrLog, ssimLog, dir.resolve("none"), threads);
      RunResult run = FFmpegRunner.using(metered).run(command,
          new RunOptions(timeout, ref.durationSeconds(), 0, listener));
      Frames psnr = psnrFrames(read(psnrLog), run);
      Frames ssim = ssimFrames(read(ssimLog), run);
      return new QualityReport(psnr.mean, psnr.worst, psnr.worstFrame, ssim.mean, ssim.worst, ssim.worstFrame,
          psnr.count, width, height, ref.durationSeconds(), meter.total(run.metrics().wallSeconds()));
    } finally {
      deleteQuietly(dir);
    }
  }

  private static MediaStream video(MediaInfo info) {
    return info.primaryVideo().orElseThrow(() -> new InvalidInputException(
        info.path().getFileName() + " has no video track to measure"));
  }

  /**
   * Both pictures from their first frame on, the distorted one scaled to the reference's size and
   * both in one pixel format (10-bit where the reference has more than 8 bits), split to the two
   * filters; frames are paired by time and measuring ends with the shorter video.
   */
  static FFmpegCommand command(MediaInfo ref, MediaStream rv, MediaInfo dist, MediaStream dv, int width, int height,
      Path psnrLog, Path ssimLog, Path nowhere, Integer threads) {
    String format = deep(rv.pixelFormat()) ? "yuv420p10le" : "yuv420p";
    FilterGraph graph = FilterGraph.EMPTY
        .then(List.of(Pad.stream(0, dv.index())), FilterChain.of(
            Filter.of("setpts").with("expr", "PTS-STARTPTS"),
            Filter.of("scale").with("w", width).with("h", height).with("flags", "bicubic"),
            Filter.of("setsar").with("sar", "1"),
            Filter.of("format").with("pix_fmts", format),
            Filter.of("split")), List.of(Pad.label("d1"), Pad.label("d2")))
        .then(List.of(Pad.stream(1, rv.index())), FilterChain.of(
            Filter.of("setpts").with("expr", "PTS-STARTPTS"),
            Filter.of("setsar").with("sar", "1"),
            Filter.of("format").with("pix_fmts", format),
            Filter.of("split")), List.of(Pad.label("r1"), Pad.label("r2")))
        .then(List.of(Pad.label("d1"), Pad.label("r1")), FilterChain.of(Filter.of("psnr")
            .with("stats_file", psnrLog.toAbsolutePath().toString()).with("stats_version", 2).with("output_max", 1)
            .with("shortest", 1)), List.of(Pad.label("psnr")))
        .then(List.of(Pad.label("d2"), Pad.label("r2")), FilterChain.of(Filter.of("ssim")
            .with("stats_file", ssimLog.toAbsolutePath().toString()).with("shortest", 1)), List.of(Pad.label("ssim")));
    return FFmpegCommand.newBuilder()
        .input(Input.of(dist.path()))
        .input(Input.of(ref.path()))
        .filterGraph(graph)
        .output(Output.newBuilder(nowhere).format("null").map(Pad.label("psnr")).map(Pad.label("ssim"))
            .video(VideoEncoding.newBuilder().codec("wrapped_avframe").build()).threads(threads).build())
        .build();
  }

  private static boolean deep(String pixelFormat) {
    return pixelFormat != null && pixelFormat.matches(".*(p9|p10|p12|p14|p16).*");
  }

  private record Frames(long count, double mean, double worst, long worstFrame) {}

  /**
   * Lines such as {@code n:1 mse_avg:64.72 ... psnr_avg:30.02 ... max_avg:255.00}: the mean is the
   * PSNR of the frames' mean squared error, the worst the lowest frame's PSNR.
   */
  static Frames psnrFrames(List<Map<String, String>> frames, RunResult run) {
    if (frames.isEmpty()) {
      throw new ProcessFailedException("no frames could be compared", 0, run.stderrTail());
    }
    double mse = 0;
    double max = 0;
    double worst = Double.POSITIVE_INFINITY;
    long worstFrame = 0;
    for (int i = 0; i < frames.size(); i++) {
      Map<String, String> f = frames.get(i);
      mse += number(f, "mse_avg");
      max = Math.max(max, number(f, "max_avg"));
      double psnr = number(f, "psnr_avg");
      if (psnr < worst) {
        worst = psnr;
        worstFrame = i;
      }
    }
    mse /= frames.size();
    double mean = mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(max * max / mse);
    return new Frames(frames.size(), mean, worst, worstFrame);
  }

  /** Lines such as {@code n:1 Y:0.92 U:0.91 V:0.93 All:0.923141 (11.143043)}. */
  static Frames ssimFrames(List<Map<String, String>> frames, RunResult run) {
    if (frames.isEmpty()) {
      throw new ProcessFailedException("no frames could be compared", 0, run.stderrTail());
    }
    double sum = 0;
    double worst = Double.POSITIVE_INFINITY;
    long worstFrame = 0;
    for (int i = 0; i < frames.size(); i++) {
      double all = number(frames.get(i), "All");
      sum += all;
      if (all < worst) {
        worst = all;
        worstFrame = i;
      }
    }
    return new Frames(frames.size(), sum / frames.size(), worst, worstFrame);
  }

  private static double number(Map<String, String> frame, String key) {
    String v = frame.get(key);
    if (v == null) {
      throw new IllegalStateException("quality statistics lack " + key + ": " + frame);
    }
    return v.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
  }

  /** The statistics file's frame lines as {@code key:value} pairs (its version header skipped). */
  private static List<Map<String, String>> read(Path log) {
    List<String> lines;
    try {
      lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot read quality statistics " + log + ": " + e);
    }
    return lines.stream().filter(l -> l.startsWith("n:")).map(Quality::pairs).toList();
  }

  private static Map<String, String> pairs(String line) {
    Map<String, String> m = new HashMap<>();
    for (String token : line.strip().split("\\s+")) {
      int colon = token.indexOf(':');
      if (colon > 0) {
        m.put(token.substring(0, colon), token.substring(colon + 1));
      }
    }
    return m;
  }

  private static void deleteQuietly(Path dir) {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // the caller's scratch folder is removed with the job anyway
    }
  }
}
