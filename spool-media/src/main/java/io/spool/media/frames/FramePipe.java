package io.spool.media.frames;

import io.spool.media.AudioEncoding;
import io.spool.media.CancelledException;
import io.spool.media.ErrorCode;
import io.spool.media.FFmpegCommand;
import io.spool.media.FFmpegRunner;
import io.spool.media.FFprobe;
import io.spool.media.Filter;
import io.spool.media.FilterChain;
import io.spool.media.Input;
import io.spool.media.InvalidInputException;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.Output;
import io.spool.media.Pad;
import io.spool.media.ProgressListener;
import io.spool.media.Rational;
import io.spool.media.RawVideo;
import io.spool.media.RunHandle;
import io.spool.media.RunOptions;
import io.spool.media.RunResult;
import io.spool.media.SpoolException;
import io.spool.media.Toolchain;
import io.spool.media.Transcoder;
import io.spool.media.UsageMeter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link FrameProcessor} over a video: one ffmpeg decodes the main video track to raw RGB
 * frames on its standard output, the processor changes each in turn, and a second ffmpeg encodes
 * them from its standard input as they come, with the input's audio copied from the file. Memory
 * holds one frame; nothing is written per frame. Frames come at the video's mean rate (a variable
 * rate is made constant), upright and at their display size.
 * {@code FramePipe.using(tools).run(input, output, outputName, processor, crf, threads, timeout, listener)}.
 */
public final class FramePipe {
  private final Toolchain tools;

  private FramePipe(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static FramePipe using(Toolchain tools) {
    return new FramePipe(tools);
  }

  /**
   * @throws SpoolException {@code JOB_FAILED} naming the frame where the processor threw; the
   *     classified failure of either ffmpeg otherwise
   */
  public EffectResult run(Path input, Path output, String outputName, FrameProcessor processor, Integer crf,
      Integer threads, Duration timeout, ProgressListener listener) {
    Transcoder.checkDistinct(input, output);
    FrameOutput plan = FrameOutput.of(outputName, crf);
    long started = System.nanoTime();
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    MediaInfo in = FFprobe.using(metered).describe(input);
    MediaStream v = in.primaryVideo().orElseThrow(() -> new InvalidInputException(
        input.getFileName() + " has no video track to process"));
    Rational rate = v.effectiveFrameRate();
    if (!rate.isKnown() || rate.numerator() <= 0) {
      rate = Rational.of(25, 1);
    }
    int width = even(v.displayWidth() > 0 ? v.displayWidth() : v.width());
    int height = even(v.displayHeight() > 0 ? v.displayHeight() : v.height());
    RawVideo raw = new RawVideo(width, height, "rgb24", rate);
    FFmpegCommand decode = FFmpegCommand.newBuilder().input(Input.of(input))
        .output(Output.newBuilder(input).toStdout(raw).map(Pad.stream(0, v.index())).threads(threads)
            .videoFilters(FilterChain.of(Filter.of("scale").with("w", width).with("h", height),
                Filter.of("setsar").with("sar", "1"))).build())
        .build();
    Output.Builder out = Output.newBuilder(output).format(plan.muxer()).fastStart(plan.fastStart()).threads(threads)
        .map(Pad.stream(0, 0)).video(plan.video());
    MediaStream audio = in.primaryAudio().orElse(null);
    AudioEncoding audioEncoding = audio == null ? null : plan.audioFor(audio.codec());
    FFmpegCommand.Builder encode = FFmpegCommand.newBuilder().input(Input.fromStdin(raw));
    if (audio != null) {
      encode.input(Input.of(input));
      out.map(Pad.stream(1, audio.index())).audio(audioEncoding);
    }
    RunOptions options = new RunOptions(timeout, in.durationSeconds(), 0, ProgressListener.NONE);
    RunHandle decoder = FFmpegRunner.using(metered).start(decode, options);
    RunHandle encoder;
    try {
      encoder = FFmpegRunner.using(metered).start(encode.output(out.build()).build(), options.withListener(listener));
    } catch (RuntimeException e) {
      decoder.cancel();
      throw e;
    }
    Pump pump = new Pump(decoder, encoder, processor, raw);
    Thread pumping = new Thread(pump, "spool-frame-pump");
    pumping.setDaemon(true);
    pumping.start();
    RunResult encoded;
    try {
      encoded = encoder.await();
      decoder.await();
      pumping.join();
    } catch (InterruptedException e) {
      decoder.cancel();
      encoder.cancel();
      Thread.currentThread().interrupt();
      throw new CancelledException("cancelled while frames were processed");
    } catch (SpoolException e) {
      decoder.cancel();
      encoder.cancel();
      join(pumping);
      throw pump.failure.get() != null ? pump.failure.get() : e;
    }
    if (pump.failure.get() != null) {
      throw pump.failure.get();
    }
    MediaInfo written = FrameChecks.verify(metered, in, output, plan.muxer(), audio != null, encoded);
    double wall = (System.nanoTime() - started) / 1e9;
    return new EffectResult(input, output, pump.frames, written.durationSeconds(), width, height, plan.video().codec(),
        audioEncoding == null ? null : audioEncoding.codec().equals("copy") ? "copied " + audio.codec() : audioEncoding.codec(),
        in.sizeBytes(), written.sizeBytes(), wall > 0 ? in.durationSeconds() / wall : 0, meter.total(wall));
  }

  /** Moves frames from the decoder through the processor into the encoder, on a thread of its own. */
  private static final class Pump implements Runnable {
    private final RunHandle decoder;
    private final RunHandle encoder;
    private final FrameProcessor processor;
    private final RawVideo raw;
    private final AtomicReference<SpoolException> failure = new AtomicReference<>();
    private volatile long frames;

    Pump(RunHandle decoder, RunHandle encoder, FrameProcessor processor, RawVideo raw) {
      this.decoder = decoder;
      this.encoder = encoder;
      this.processor = processor;
      this.raw = raw;
    }

    @Override
    public void run() {
      VideoFrame frame = new VideoFrame(raw.width(), raw.height());
      double secondsPerFrame = raw.frameRate().denominator() / (double) raw.frameRate().numerator();
      try (InputStream from = decoder.stdout(); OutputStream to = encoder.stdin()) {
        long n = 0;
        while (from.readNBytes(frame.rgb(), 0, frame.rgb().length) == frame.rgb().length) {
          frame.at(n, n * secondsPerFrame);
          try {
            processor.process(frame);
          } catch (RuntimeException e) {
            failure.set(new SpoolException(ErrorCode.JOB_FAILED, "frame processor "
                + processor.getClass().getName() + " failed at frame " + n + ": " + e, java.util.List.of(), e));
            decoder.cancel();
            encoder.cancel();
            return;
          }
          to.write(frame.rgb());
          frames = ++n;
        }
      } catch (IOException e) {
        // One ffmpeg ended: its own failure (or the other's) is what awaiting them reports.
      }
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int even(int v) {
    return Math.max(2, v - (v % 2));
  }
}
