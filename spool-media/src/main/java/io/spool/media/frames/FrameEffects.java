package io.spool.media.frames;

import io.spool.media.AudioEncoding;
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
import io.spool.media.ProgressListener;
import io.spool.media.RunOptions;
import io.spool.media.RunResult;
import io.spool.media.Toolchain;
import io.spool.media.Transcoder;
import io.spool.media.UsageMeter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-frame effects in one decoding pass: a filter chain of the user's own, an image watermark and
 * text with the frame number or time, drawn by one ffmpeg filter graph while the video is encoded
 * and the audio copied (or encoded, where the container does not take it as it is). No frame is
 * written to disk on the way and no process is started per frame.
 * {@code FrameEffects.using(tools).apply(input, output, outputName, overlay, crf, threads, timeout, listener)}.
 */
public final class FrameEffects {
  private final Toolchain tools;

  private FrameEffects(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static FrameEffects using(Toolchain tools) {
    return new FrameEffects(tools);
  }

  /**
   * Writes {@code input} with {@code overlay} on every frame into {@code output}, whose container
   * {@code outputName}'s extension picks (MP4, M4V, MOV, MKV or WebM).
   *
   * @param crf the video quality, null for the container's preset's
   * @throws InvalidInputException if the input (or the image) is not media, or has no video
   * @throws io.spool.media.BadArgumentException if the filter chain names filters it may not
   */
  public EffectResult apply(Path input, Path output, String outputName, Overlay overlay, Integer crf, Integer threads,
      Duration timeout, ProgressListener listener) {
    Transcoder.checkDistinct(input, output);
    FrameOutput plan = FrameOutput.of(outputName, crf);
    long started = System.nanoTime();
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    if (!overlay.filters().isEmpty()) {
      UserFilters.check(metered, overlay.filters());
    }
    MediaInfo in = FFprobe.using(metered).describe(input);
    MediaStream v = in.primaryVideo().orElseThrow(() -> new InvalidInputException(
        input.getFileName() + " has no video track to draw on"));
    FFmpegCommand.Builder cmd = FFmpegCommand.newBuilder().input(Input.of(input));
    Pad current = Pad.stream(0, v.index());
    FilterGraph graph = FilterGraph.EMPTY;
    if (!overlay.filters().isEmpty()) {
      graph = graph.then(current, overlay.filters(), Pad.label("filtered"));
      current = Pad.label("filtered");
    }
    int height = v.displayHeight() > 0 ? v.displayHeight() : v.height();
    int margin = Math.max(4, height / 40);
    if (overlay.image() != null) {
      MediaInfo image = FFprobe.using(metered).probe(overlay.image());
      MediaStream picture = image.streams().stream().filter(s -> s.type() == io.spool.media.StreamType.VIDEO).findFirst()
          .orElseThrow(() -> new InvalidInputException(overlay.image().getFileName() + " is not an image"));
      cmd.input(Input.of(overlay.image()));
      graph = graph.then(List.of(current, Pad.stream(1, picture.index())), FilterChain.of(Filter.of("overlay")
          .with("x", x(overlay.imagePosition(), "main_w", "overlay_w", margin))
          .with("y", y(overlay.imagePosition(), "main_h", "overlay_h", margin))), List.of(Pad.label("marked")));
      current = Pad.label("marked");
    }
    if (overlay.text() != null) {
      int size = overlay.fontSize() != null ? overlay.fontSize() : Math.max(12, height / 20);
      graph = graph.then(current, FilterChain.of(Filter.of("drawtext")
          .with("text", Overlay.drawtextText(overlay.text()))
          .with("fontsize", size).with("fontcolor", "white")
          .with("box", 1).with("boxcolor", "black@0.5").with("boxborderw", Math.max(2, size / 4))
          .with("x", x(overlay.textPosition(), "w", "tw", margin)).with("y", y(overlay.textPosition(), "h", "th", margin))),
          Pad.label("texted"));
      current = Pad.label("texted");
    }
    Output.Builder out = Output.newBuilder(output).format(plan.muxer()).fastStart(plan.fastStart()).threads(threads)
        .map(current).video(plan.video());
    MediaStream audio = in.primaryAudio().orElse(null);
    AudioEncoding audioEncoding = audio == null ? null : plan.audioFor(audio.codec());
    if (audio != null) {
      out.map(Pad.stream(0, audio.index())).audio(audioEncoding);
    }
    AtomicLong frames = new AtomicLong();
    RunResult r = FFmpegRunner.using(metered).run(cmd.filterGraph(graph).output(out.build()).build(),
        new RunOptions(timeout, in.durationSeconds(), 0, p -> {
          frames.set(Math.max(frames.get(), p.frame()));
          listener.onProgress(p);
        }));
    MediaInfo written = FrameChecks.verify(metered, in, output, plan.muxer(), audio != null, r);
    MediaStream wv = written.primaryVideo().orElseThrow();
    double wall = (System.nanoTime() - started) / 1e9;
    return new EffectResult(input, output, frames.get(), written.durationSeconds(), wv.displayWidth(), wv.displayHeight(),
        plan.video().codec(), audioEncoding == null ? null : audioEncoding.codec().equals("copy") ? "copied " + audio.codec()
            : audioEncoding.codec(), in.sizeBytes(), written.sizeBytes(), wall > 0 ? in.durationSeconds() / wall : 0,
        meter.total(wall));
  }

  /** The x of something {@code inner} wide on a picture {@code outer} wide, at a position with a margin. */
  static String x(Overlay.Position p, String outer, String inner, int margin) {
    return switch (p) {
      case TOP_LEFT, BOTTOM_LEFT -> Integer.toString(margin);
      case TOP_RIGHT, BOTTOM_RIGHT -> outer + "-" + inner + "-" + margin;
      case CENTER -> "(" + outer + "-" + inner + ")/2";
    };
  }

  static String y(Overlay.Position p, String outer, String inner, int margin) {
    return switch (p) {
      case TOP_LEFT, TOP_RIGHT -> Integer.toString(margin);
      case BOTTOM_LEFT, BOTTOM_RIGHT -> outer + "-" + inner + "-" + margin;
      case CENTER -> "(" + outer + "-" + inner + ")/2";
    };
  }
}
