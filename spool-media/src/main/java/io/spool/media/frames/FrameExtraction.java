package io.spool.media.frames;

import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.FFmpegCommand;
import io.spool.media.FFmpegRunner;
import io.spool.media.FFprobe;
import io.spool.media.Filter;
import io.spool.media.FilterChain;
import io.spool.media.ImageSequence;
import io.spool.media.Input;
import io.spool.media.InvalidInputException;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.Metrics;
import io.spool.media.Output;
import io.spool.media.Pad;
import io.spool.media.ProgressListener;
import io.spool.media.Rational;
import io.spool.media.RunOptions;
import io.spool.media.SpoolException;
import io.spool.media.Toolchain;
import io.spool.media.UsageMeter;
import io.spool.media.VideoEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Writes frames of a video as numbered images ({@code frame-000001.png} and on) at a chosen rate,
 * for those who want the pictures themselves. (To change frames, {@link FrameEffects} and
 * {@link FramePipe} do it in one pass, without them.)
 */
public final class FrameExtraction {
  /** The most images one extraction writes. */
  public static final int MAX_FRAMES = 100_000;

  /** The images written, in order, and what writing them used. */
  public record Frames(List<Path> files, Rational rate, double durationSeconds, Metrics metrics) {
    public Frames {
      files = List.copyOf(files);
    }
  }

  private final Toolchain tools;

  private FrameExtraction(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static FrameExtraction using(Toolchain tools) {
    return new FrameExtraction(tools);
  }

  /**
   * Writes {@code rate} frames a second of {@code input} into {@code folder} as {@code png} or
   * {@code jpg}, upright, at {@code width} pixels wide (null: the picture's own size).
   */
  public Frames extract(Path input, Path folder, Rational rate, String format, Integer width, Integer threads,
      Duration timeout, ProgressListener listener) {
    if (!rate.isKnown() || rate.numerator() <= 0) {
      throw new BadArgumentException("frames per second must be more than 0, got " + rate);
    }
    if (!format.equals("png") && !format.equals("jpg")) {
      throw new BadArgumentException("frame format must be png or jpg, got '" + format + "'");
    }
    long started = System.nanoTime();
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    MediaInfo in = FFprobe.using(metered).probe(input);
    MediaStream v = in.primaryVideo().orElseThrow(() -> new InvalidInputException(
        input.getFileName() + " has no video track to take frames from"));
    double expected = in.durationSeconds() * rate.toDouble();
    if (expected > MAX_FRAMES) {
      throw new BadArgumentException(String.format(Locale.ROOT, "%s frames a second of %s (%.0f s) would make about %.0f"
          + " images; at most %d", rate, input.getFileName(), in.durationSeconds(), expected, MAX_FRAMES));
    }
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot make the folder " + folder + ": " + e);
    }
    FilterChain filters = FilterChain.of(Filter.of("fps").with("fps", rate.numerator() + "/" + rate.denominator()));
    if (width != null) {
      filters = filters.then(Filter.of("scale").with("w", width).with("h", -2)).then(Filter.of("setsar").with("sar", "1"));
    }
    ImageSequence images = new ImageSequence(folder, "frame-", 6, format);
    VideoEncoding encoding = format.equals("png") ? VideoEncoding.newBuilder().codec("png").build()
        : VideoEncoding.newBuilder().codec("mjpeg").option("q:v", "2").build();
    FFmpegRunner.using(metered).run(FFmpegCommand.newBuilder().input(Input.of(input))
        .output(Output.newBuilder(folder).images(images).map(Pad.stream(0, v.index())).video(encoding).videoFilters(filters)
            .threads(threads).build()).build(),
        new RunOptions(timeout, in.durationSeconds(), 0, listener));
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(p -> p.getFileName().toString().matches("frame-\\d{6,}\\." + format)).sorted().toList();
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot list " + folder + ": " + e);
    }
    if (files.isEmpty()) {
      throw new InvalidInputException("no frame could be decoded from " + input.getFileName());
    }
    return new Frames(files, rate, in.durationSeconds(), meter.total((System.nanoTime() - started) / 1e9));
  }
}
