package io.spool.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A transcode in parts that can run at once, on several workers: {@link ChunkPlanner} cuts the
 * video at keyframes, {@link #encodeChunk} encodes one chunk, {@link #encodeAudio} the whole audio once,
 * and {@link #join} puts them together without encoding again. The result has the frames of a
 * single-pass {@link Transcoder} run with the same options: the same count, none doubled or lost
 * at a join, the audio as a single pass encodes it.
 *
 * <p>Frame-exact by construction: every chunk keeps the input's own timestamps, converts them to
 * the output's frame grid as a single pass would (the {@code fps} filter at ffmpeg's own rate,
 * from the file's start), and keeps only the grid frames it owns. Each chunk is encoded with the
 * single pass's encoder settings and starts with an IDR frame, so the joined stream decodes as
 * one. Only H.264 and HEVC in MP4 are chunked.
 */
public final class ChunkedTranscoder {
  /** Video encoders whose chunks join into one stream ({@code forced-idr} starts each chunk cleanly). */
  private static final Set<String> ENCODERS = Set.of("libx264", "libx265");
  /**
   * Frames encoded ahead of each chunk but the first: copies of its first picture, dropped again.
   * The encoder's rate control takes about this many frames to settle; without them each chunk's
   * first second comes out measurably worse than the same frames in a single pass.
   */
  public static final int PREROLL_FRAMES = 16;

  private final Toolchain tools;

  private ChunkedTranscoder(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static ChunkedTranscoder using(Toolchain tools) {
    return new ChunkedTranscoder(tools);
  }

  /** What one part of a chunked transcode produced. */
  public record Part(Path output, long frames, double mediaSeconds, Metrics metrics) {}

  /**
   * Refuses options a chunked transcode cannot keep frame-exact: encoders other than libx264 and
   * libx265, and containers other than MP4.
   */
  public static void checkChunkable(TranscodeOptions options) {
    String codec = options.videoEncoding().codec();
    if (!ENCODERS.contains(codec) || !options.preset().format().equals("mp4")) {
      throw new BadArgumentException("a chunked transcode encodes H.264 or HEVC into MP4 (libx264, libx265);"
          + " preset " + options.preset().id() + " with " + codec + " cannot be chunked");
    }
  }

  /**
   * Encodes the video of chunk {@code chunk} of {@code plan} into {@code target} (an MP4 without
   * audio), with the encoder settings a single pass would use, and checks that it holds the frames
   * the plan gives it (plus the plan's pre-roll ahead of them).
   */
  public Part encodeChunk(Path input, ChunkPlan plan, ChunkPlan.Chunk chunk, TranscodeOptions options, Path target,
      ProgressListener listener) {
    checkChunkable(options);
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    MediaInfo in = Transcoder.using(metered).describe(input);
    Output planned = Transcoder.plan(in, options, target).outputs().get(0);
    int preroll = plan.prerollOf(chunk);
    List<Filter> chain = new ArrayList<>();
    // The timestamps as a single pass sees them (from the file's start), in whole stream ticks.
    long shift = new FrameGrid(plan.timeBase(), plan.startMicros(), plan.frameRate()).startTicks();
    if (shift != 0) {
      chain.add(Filter.of("setpts").with("expr", "PTS-(" + shift + ")"));
    }
    chain.add(Transcoder.constantRate());
    chain.addAll(planned.videoFilters().filters());
    if (chunk.firstFrame() > 0 || !chunk.last()) {
      Filter trim = Filter.of("trim");
      if (chunk.firstFrame() > 0) {
        trim = trim.with("start_pts", chunk.firstFrame());
      }
      if (!chunk.last()) {
        trim = trim.with("end_pts", chunk.endFrame());
      }
      chain.add(trim);
    }
    if (chunk.firstFrame() > 0) {
      chain.add(Filter.of("setpts").with("expr", "PTS-STARTPTS"));
    }
    VideoEncoding encoding = planned.video();
    if (preroll > 0) {
      chain.add(Filter.of("tpad").with("start", preroll).with("start_mode", "clone"));
      encoding = encoding.toBuilder().option("forced-idr", "1").build();
    }
    Output out = planned.toBuilder().clearStreams().stream(plan.videoStream()).audio(null).subtitleCodec(null)
        .fastStart(false).video(encoding).videoFilters(new FilterChain(chain)).keyframeAt(preroll > 0 ? preroll : null)
        .build();
    Input source = chunk.seekMicros() >= 0 ? Input.of(input).startingNear(chunk.seekMicros() / 1e6) : Input.of(input);
    FFmpegCommand command = FFmpegCommand.newBuilder().copyTimestamps(true).input(source).output(out).build();
    double seconds = plan.seconds(preroll) + (chunk.last()
        ? Math.max(0, plan.durationSeconds() - plan.startSeconds(chunk)) : plan.seconds(chunk.frames()));
    RunResult run = FFmpegRunner.using(metered).run(command,
        new RunOptions(options.timeout(), seconds, options.memoryLimitBytes(), listener));
    long packets = FFprobe.using(metered).countPackets(target, 0);
    long frames = packets - preroll;
    if (chunk.last() ? frames < 1 : frames != chunk.frames()) {
      throw new InvalidInputException(String.format(Locale.ROOT,
          "chunk %d (from %.3f s) came out with %d frames where %s were planned: %s is damaged or cut short there",
          chunk.index() + 1, plan.startSeconds(chunk), Math.max(0, frames),
          chunk.last() ? "some" : Long.toString(chunk.frames()), input.getFileName()), run.stderrTail(), null);
    }
    return new Part(target, frames, plan.seconds(frames), meter.total(run.metrics().wallSeconds()));
  }

  /**
   * Chunk {@code chunk} as an earlier run encoded it into {@code file}, when that file holds the
   * frames the plan gives the chunk; empty when there is none or it does not.
   */
  public Optional<Part> encodedChunk(ChunkPlan plan, ChunkPlan.Chunk chunk, Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      long frames = FFprobe.using(tools).countPackets(file, 0) - plan.prerollOf(chunk);
      boolean whole = chunk.last() ? frames >= 1 : frames == chunk.frames();
      return whole ? Optional.of(new Part(file, frames, plan.seconds(frames), Metrics.ZERO)) : Optional.empty();
    } catch (SpoolException e) {
      return Optional.empty();
    }
  }

  /** The audio as an earlier run encoded it into {@code file}, when that reads back with audio. */
  public Optional<Part> encodedAudio(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      MediaInfo made = io.spool.media.internal.Mp4Check.read(file).orElseGet(() -> FFprobe.using(tools).probe(file));
      return made.hasAudio() ? Optional.of(new Part(file, 0, made.durationSeconds(), Metrics.ZERO)) : Optional.empty();
    } catch (SpoolException e) {
      return Optional.empty();
    }
  }

  /**
   * Encodes the input's audio stream (the one a single pass takes) into {@code target}, an MP4
   * with audio only, as a single pass encodes it: on the same timeline, so that it is in sync
   * with the joined chunks. It needs no plan, so it can run while the input is being planned.
   * Empty, and nothing written, when the input has no audio.
   */
  public Optional<Part> encodeAudio(Path input, TranscodeOptions options, Path target, ProgressListener listener) {
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    MediaInfo in = Transcoder.using(metered).describe(input);
    if (in.primaryAudio().isEmpty()) {
      return Optional.empty();
    }
    MediaStream audio = in.primaryAudio().get();
    Output out = Output.newBuilder(target).format("mp4").stream(audio.index()).audio(options.audioEncoding())
        .threads(options.threads()).build();
    RunResult run = FFmpegRunner.using(metered).run(FFmpegCommand.newBuilder().input(Input.of(input)).output(out).build(),
        new RunOptions(options.timeout(), in.durationSeconds(), options.memoryLimitBytes(), listener));
    MediaInfo made = readBack(metered, target, run);
    if (!made.hasAudio()) {
      throw new InvalidInputException("no audio could be decoded from " + input.getFileName(), run.stderrTail(), null);
    }
    return Optional.of(new Part(target, 0, made.durationSeconds(), meter.total(run.metrics().wallSeconds())));
  }

  /** An MP4 this class wrote, read back from its own headers where they say enough, else by ffprobe. */
  private static MediaInfo readBack(Toolchain tools, Path mp4, RunResult run) {
    try {
      return io.spool.media.internal.Mp4Check.read(mp4).orElseGet(() -> FFprobe.using(tools).probe(mp4));
    } catch (InvalidInputException e) {
      throw new ProcessFailedException("ffmpeg wrote an unreadable file: " + e.getMessage(), 0, run.stderrTail());
    }
  }

  /**
   * Joins encoded chunks (in plan order, each with its frame count) and the audio (null without)
   * into {@code target} by copying their packets, adds the input's text subtitles as a single pass
   * does, and checks the result as a single pass checks its output, and that it holds every
   * chunk's frames. {@code workDir} takes the concat list.
   */
  public TranscodeResult join(Path input, ChunkPlan plan, List<Part> chunks, Part audio, TranscodeOptions options,
      Path target, Path workDir, ProgressListener listener) {
    if (chunks.size() != plan.chunks().size()) {
      throw new BadArgumentException("a join needs all " + plan.chunks().size() + " chunks, got " + chunks.size());
    }
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    Transcoder transcoder = Transcoder.using(metered);
    MediaInfo in = transcoder.describe(input);
    Output planned = Transcoder.plan(in, options, target).outputs().get(0);
    Path list = workDir.resolve("chunks.ffconcat");
    long frames = 0;
    StringBuilder text = new StringBuilder("ffconcat version 1.0\n");
    for (int i = 0; i < chunks.size(); i++) {
      Part part = chunks.get(i);
      int preroll = plan.prerollOf(plan.chunk(i));
      text.append("file ").append(quoted(part.output())).append('\n');
      text.append(String.format(Locale.ROOT, "duration %.9f%n", plan.seconds(part.frames())));
      if (preroll > 0) {
        // Rounded up to the microsecond: the seek lands on the chunk's own IDR frame, not before it.
        text.append(String.format(Locale.ROOT, "inpoint %.6f%n", Math.ceil(plan.seconds(preroll) * 1e6) / 1e6));
      }
      frames += part.frames();
    }
    try {
      Files.writeString(list, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot write the list of chunks " + list + ": " + e.getMessage());
    }
    FFmpegCommand.Builder command = FFmpegCommand.newBuilder().input(Input.concatList(list));
    Output.Builder out = planned.toBuilder().clearStreams().stream(0, 0).video(VideoEncoding.copy())
        .videoFilters(FilterChain.EMPTY).audio(null).subtitleCodec(null);
    int next = 1;
    if (audio != null) {
      command.input(Input.of(audio.output()));
      out.stream(next++, 0).audio(AudioEncoding.copy());
    }
    List<Integer> subtitles = planned.streams().stream()
        .filter(s -> s != plan.videoStream() && s != plan.audioStream()).toList();
    if (!subtitles.isEmpty()) {
      command.input(Input.of(input));
      int source = next;
      subtitles.forEach(s -> out.stream(source, s));
      out.subtitleCodec(planned.subtitleCodec());
    }
    FFmpegCommand join = command.output(out.build()).build();
    RunResult run = FFmpegRunner.using(metered).run(join,
        new RunOptions(options.timeout(), plan.seconds(frames), options.memoryLimitBytes(), listener));
    MediaInfo produced = transcoder.verify(in, planned, target, run);
    long joined = FFprobe.using(metered).countPackets(target, 0);
    if (joined != frames) {
      throw new ProcessFailedException(String.format(Locale.ROOT,
          "the joined chunks hold %d frames where the chunks had %d", joined, frames), 0, run.stderrTail());
    }
    MediaStream v = produced.primaryVideo().orElse(null);
    double wall = run.metrics().wallSeconds();
    return new TranscodeResult(input, target, options.preset().id(), planned.video().codec(), in.sizeBytes(),
        produced.sizeBytes(), produced.durationSeconds(), v == null ? 0 : v.displayWidth(), v == null ? 0 : v.displayHeight(),
        wall > 0 ? in.durationSeconds() / wall : 0, meter.total(wall), produced);
  }

  /** A file as an ffconcat list names it: a {@code file:} URL in single quotes. */
  private static String quoted(Path file) {
    String url = Arguments.fileUrl(file);
    if (url.indexOf('\n') >= 0 || url.indexOf('\r') >= 0) {
      throw new BadArgumentException("a chunk's path must not hold a line break: " + file);
    }
    return "'" + url.replace("'", "'\\''") + "'";
  }
}
