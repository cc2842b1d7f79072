package io.spool.media;

import io.spool.media.internal.AtomicOutput;
import io.spool.media.internal.FailureClassifier;
import io.spool.media.internal.MatroskaHeaders;
import io.spool.media.internal.Mp4Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Transcodes one file: probe, plan, run ffmpeg into a temporary file, read the result back to
 * verify it, then publish it atomically. On any failure nothing is left at the output path and a
 * file already there is untouched.
 */
public final class Transcoder {
  /** Output shorter than the input by more than this (and 5%) means the input was cut short. */
  private static final double TRUNCATION_SLACK_SECONDS = 0.5;
  /** Encoding audio costs about as much CPU as encoding this many pixels a second of video. */
  private static final double AUDIO_PIXELS_PER_SECOND = 1280 * 720 * 30 / 30.0;

  private final Toolchain tools;

  private Transcoder(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static Transcoder using(Toolchain tools) {
    return new Transcoder(tools);
  }

  /**
   * How much work transcoding {@code input} is, read from its own headers without a process: the
   * pixels of its main video (width x height x frames) plus, with audio, as many as encoding its
   * audio costs as much as (about 1/30 of 720p at 30 fps). Relative only: for putting a batch's
   * longest jobs first and sharing out its cores. MP4 and MOV files (from their movie header), and
   * Matroska and WebM (from their segment information and track headers; 30 fps where a video
   * track gives no frame duration); empty for other files and where the headers cannot say.
   * Reading them is no check of the file.
   */
  public static OptionalDouble estimatedWork(Path input) {
    if (!Files.isRegularFile(input)) {
      return OptionalDouble.empty();
    }
    if (MatroskaHeaders.looksLike(input)) {
      return MatroskaHeaders.read(input).map(m -> OptionalDouble.of(work(m.durationSeconds(), m.width(), m.height(),
          m.frameRate(), m.audio()))).orElse(OptionalDouble.empty());
    }
    try {
      Optional<MediaInfo> in = Mp4Check.readHeaders(input);
      if (in.isEmpty() || !(in.get().durationSeconds() > 0)) {
        return OptionalDouble.empty();
      }
      Optional<MediaStream> v = in.get().primaryVideo();
      Rational rate = v.map(MediaStream::effectiveFrameRate).orElse(Rational.UNKNOWN);
      return OptionalDouble.of(work(in.get().durationSeconds(), v.map(MediaStream::width).orElse(0),
          v.map(MediaStream::height).orElse(0), rate.isKnown() ? rate.toDouble() : 0, in.get().hasAudio()));
    } catch (SpoolException e) {
      return OptionalDouble.empty();
    }
  }

  private static double work(double seconds, int width, int height, double frameRate, boolean audio) {
    double pixelsPerSecond = (double) width * height * (frameRate > 0 ? frameRate : 30);
    return seconds * (pixelsPerSecond + (audio ? AUDIO_PIXELS_PER_SECOND : 0));
  }

  /** Transcodes {@code input} to {@code output}, which appears only when the result is verified. */
  public TranscodeResult transcode(Path input, Path output, TranscodeOptions options, ProgressListener listener) {
    checkDistinct(input, output);
    UsageMeter meter = tools.meter().child();
    Transcoder metered = new Transcoder(tools.metered(meter));
    MediaInfo in = metered.describe(input);
    try (AtomicOutput out = AtomicOutput.beside(output)) {
      TranscodeResult r = metered.write(in, Input.of(input), out.temporary(), out.target(), options, listener, meter);
      out.publish();
      return r;
    }
  }

  /**
   * Transcodes {@code input} into {@code staged}, a pending file that the caller publishes in one
   * step once this returns, or discards when it throws (a volume's write). Nothing is staged
   * twice, and the same checks run before this returns as before {@link #transcode} publishes.
   */
  public TranscodeResult transcodeStaged(Path input, Path staged, TranscodeOptions options, ProgressListener listener) {
    checkDistinct(input, staged);
    UsageMeter meter = tools.meter().child();
    Transcoder metered = new Transcoder(tools.metered(meter));
    return metered.write(metered.describe(input), Input.of(input), staged, staged, options, listener, meter);
  }

  /**
   * {@link #transcodeStaged(Path, Path, TranscodeOptions, ProgressListener)} for an input that is a
   * local file or a file read over HTTP(S) ({@link Input#of(RemoteFile)}), which ffprobe and ffmpeg
   * read where it is, each once.
   */
  public TranscodeResult transcodeStaged(Input input, Path staged, TranscodeOptions options, ProgressListener listener) {
    input.checkWholeFile();
    if (input.remote() == null) {
      return transcodeStaged(input.path(), staged, options, listener);
    }
    UsageMeter meter = tools.meter().child();
    Transcoder metered = new Transcoder(tools.metered(meter));
    return metered.write(FFprobe.using(metered.tools).probe(input.remote()), input, staged, staged, options, listener, meter);
  }

  /** {@link #checkInput(Path)} for a local file or a file read over HTTP(S). */
  public void checkInput(Input input) {
    input.checkWholeFile();
    if (input.remote() == null) {
      checkInput(input.path());
    } else {
      FFprobe.using(tools).probe(input.remote());
    }
  }

  /**
   * The input as a plan needs it: read from its own headers when it is a plain MP4 that
   * {@link Mp4Check#readInput} describes exactly as ffprobe would, which saves a process per job
   * (most of an ffprobe run is the loading of ffmpeg's libraries); otherwise, and for every bad
   * file, ffprobe.
   */
  MediaInfo describe(Path input) {
    FFprobe.checkReadableFile(input); // before opening it: opening a named pipe would wait for a writer
    return Mp4Check.readInput(input).orElseGet(() -> FFprobe.using(tools).probe(input));
  }

  /**
   * Runs ffmpeg and checks what it wrote. The result's CPU time is that of every process the
   * transcode ran ({@code meter}: ffprobe, ffmpeg and their start-up); its wall time is ffmpeg's.
   */
  private TranscodeResult write(MediaInfo in, Input source, Path written, Path reportedAs, TranscodeOptions options,
      ProgressListener listener, UsageMeter meter) {
    FFmpegCommand command = plan(in, source, options, written);
    RunOptions run = new RunOptions(options.timeout(), in.durationSeconds(), options.memoryLimitBytes(), listener);
    RunResult result = FFmpegRunner.using(tools).run(command, run);
    MediaInfo produced;
    try {
      produced = verify(in, command.outputs().get(0), written, result);
    } catch (InvalidInputException e) {
      throw FailureClassifier.unlessConnectionLost(e, result.stderrTail(), in.path());
    }
    MediaStream v = produced.primaryVideo().orElse(null);
    double wall = result.metrics().wallSeconds();
    Metrics used = meter.total(wall);
    return new TranscodeResult(
        in.path(), reportedAs, options.preset().id(),
        command.outputs().get(0).video() == null ? null : command.outputs().get(0).video().codec(),
        in.sizeBytes(), produced.sizeBytes(), produced.durationSeconds(),
        v == null ? 0 : v.displayWidth(), v == null ? 0 : v.displayHeight(),
        wall > 0 ? in.durationSeconds() / wall : 0, used,
        withPath(produced, reportedAs));
  }

  /**
   * Checks that {@code input} can be transcoded at all, as a transcode does first: it is a
   * readable media file with audio or video. For reporting a bad input before anything else.
   *
   * @throws SpoolException what is wrong with it (INVALID_INPUT, INPUT_NOT_FOUND)
   */
  public void checkInput(Path input) {
    describe(input);
  }

  /**
   * Whether {@code output} is a complete transcode of {@code input} with {@code options}, by the
   * same read-back check that a transcode passes before its output is published (the planned
   * streams are there, the length is the input's, and an MP4's samples all lie inside the file).
   * For resuming: an output that fails it is made again.
   */
  public boolean isComplete(Path input, Path output, TranscodeOptions options) {
    try {
      FFprobe.checkReadableFile(output);
      MediaInfo in = describe(input);
      verify(in, plan(in, options, output).outputs().get(0), output, new RunResult(Metrics.ZERO, List.of()));
      return true;
    } catch (SpoolException e) {
      return false;
    }
  }

  /**
   * The ffmpeg command for transcoding {@code in} to {@code target}: which streams (the main video
   * and audio tracks, and text subtitles converted for the container; bitmap subtitles and data
   * tracks are dropped), the encoders, deinterlacing, tone mapping and scaling, and for NVENC where
   * the frames live ({@link CudaFrames}). Pure: nothing runs.
   */
  public static FFmpegCommand plan(MediaInfo in, TranscodeOptions options, Path target) {
    return plan(in, Input.of(in.path()), options, target);
  }

  /** {@link #plan(MediaInfo, TranscodeOptions, Path)} reading {@code source}, the file {@code in} describes. */
  static FFmpegCommand plan(MediaInfo in, Input source, TranscodeOptions options, Path target) {
    Preset preset = options.preset();
    Output.Builder out = Output.newBuilder(target)
        .format(preset.format())
        .fastStart(preset.fastStart())
        .threads(options.threads());
    MediaStream video = in.primaryVideo().orElse(null);
    MediaStream audio = in.primaryAudio().orElse(null);
    if (video == null && audio == null) {
      throw new InvalidInputException(in.path().getFileName() + " contains no audio or video stream");
    }
    Input input = source;
    if (video != null) {
      VideoEncoding encoding = options.videoEncoding();
      CudaFrames.Plan frames = CudaFrames.plan(video, videoFilters(video, options, encoding), encoding);
      if (frames.gpuDecode()) {
        input = input.decodedOnGpu();
      }
      out.stream(video.index()).video(frames.encoding()).videoFilters(frames.filters());
      if (preset.codecTag() != null && VideoCodecs.cpuCounterpart(encoding.codec()).equals(preset.video().codec())) {
        out.codecTag(preset.codecTag());
      }
    }
    if (audio != null) {
      out.stream(audio.index()).audio(options.audioEncoding());
    }
    List<MediaStream> subtitles = in.streams().stream().filter(MediaStream::isTextSubtitle).toList();
    if (video != null && !subtitles.isEmpty()) {
      subtitles.forEach(s -> out.stream(s.index()));
      out.subtitleCodec(preset.subtitleCodec());
    }
    return FFmpegCommand.newBuilder().input(input).output(out.build()).build();
  }

  /**
   * Frames at ffmpeg's own choice of rate for the stream ({@code source_fps}), on a grid that
   * starts where the file starts, as ffmpeg's own conversion does.
   */
  static Filter constantRate() {
    return Filter.of("fps").with("fps", "source_fps").with("start_time", 0);
  }

  /** Deinterlace, tone-map HDR to SDR, then scale to the target display size. */
  static FilterChain videoFilters(MediaStream v, TranscodeOptions options, VideoEncoding encoding) {
    List<Filter> filters = new ArrayList<>();
    if (v.interlaced()) {
      filters.add(Filter.of("bwdif").with("mode", "send_frame").with("deint", "all"));
    }
    // ffmpeg turns the picture upright before filters, so frames arrive in display orientation.
    int frameW = v.quarterTurned() ? v.height() : v.width();
    int frameH = v.quarterTurned() ? v.width() : v.height();
    int displayW = v.displayWidth();
    int displayH = v.displayHeight();
    if (displayW > 0 && displayH > 0) {
      int targetH = displayH;
      if (options.height() != null && (options.height() < displayH || options.allowUpscale())) {
        targetH = options.height();
      }
      int targetW = even((double) targetH * displayW / displayH);
      targetH = even(targetH);
      boolean squarePixels = !v.sampleAspectRatio().isKnown() || v.sampleAspectRatio().sameValue(Rational.ONE);
      if (targetW != frameW || targetH != frameH || !squarePixels) {
        filters.add(Filter.of("scale").with("w", targetW).with("h", targetH));
        filters.add(Filter.of("setsar").with("sar", "1"));
      }
    }
    boolean eightBit = encoding.pixelFormat() != null && !encoding.pixelFormat().contains("10");
    if (v.color().isHdr() && eightBit) {
      filters.add(Filter.of("zscale").with("t", "linear").with("npl", "100"));
      filters.add(Filter.of("format").with("pix_fmts", "gbrpf32le"));
      filters.add(Filter.of("zscale").with("p", "bt709"));
      filters.add(Filter.of("tonemap").with("tonemap", "hable").with("desat", "0"));
      filters.add(Filter.of("zscale").with("t", "bt709").with("m", "bt709").with("r", "tv"));
    }
    return new FilterChain(filters);
  }

  private static int even(double value) {
    int v = (int) Math.round(value);
    return Math.max(2, v - (v % 2));
  }

  /**
   * Checks the written file before it may be published: it reads back whole, holds the planned
   * streams, and is as long as the input. An MP4 is read by {@link Mp4Check}, which also checks
   * that every sample lies inside the file; other containers by ffprobe.
   */
  MediaInfo verify(MediaInfo in, Output planned, Path written, RunResult run) {
    MediaInfo out;
    try {
      Optional<MediaInfo> mp4 = planned.format().equals("mp4") ? Mp4Check.read(written) : Optional.empty();
      out = mp4.isPresent() ? mp4.get() : FFprobe.using(tools).probe(written);
    } catch (InvalidInputException e) {
      throw new ProcessFailedException("ffmpeg wrote an unreadable file: " + e.getMessage(), 0, run.stderrTail());
    }
    if (planned.video() != null && !out.hasVideo()) {
      throw new InvalidInputException("no video could be decoded from " + in.path().getFileName(), run.stderrTail(), null);
    }
    if (planned.audio() != null && !out.hasAudio()) {
      throw new InvalidInputException("no audio could be decoded from " + in.path().getFileName(), run.stderrTail(), null);
    }
    double expected = in.durationSeconds();
    if (expected > 0 && out.durationSeconds() < expected - Math.max(TRUNCATION_SLACK_SECONDS, 0.05 * expected)) {
      throw new InvalidInputException(String.format(java.util.Locale.ROOT,
          "input is truncated or damaged: only %.2f s of %.2f s could be decoded from %s",
          out.durationSeconds(), expected, in.path().getFileName()), run.stderrTail(), null);
    }
    return out;
  }

  /**
   * Refuses an output that is the input, also through a link: publishing it would replace the
   * input.
   *
   * @throws BadArgumentException if they are one file
   */
  public static void checkDistinct(Path input, Path output) {
    Path a = input.toAbsolutePath().normalize();
    Path b = output.toAbsolutePath().normalize();
    boolean same = a.equals(b);
    if (!same && Files.exists(a) && Files.exists(b)) {
      try {
        same = Files.isSameFile(a, b);
      } catch (IOException e) {
        same = false;
      }
    }
    if (same) {
      throw new BadArgumentException("output must not be the input file: " + output);
    }
  }

  private static MediaInfo withPath(MediaInfo m, Path p) {
    return new MediaInfo(p, m.formatName(), m.formatLongName(), m.durationSeconds(), m.sizeBytes(),
        m.bitRate(), m.streams(), m.chapters(), m.tags());
  }
}
