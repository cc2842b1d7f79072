package io.spool.media.hls;

import io.spool.media.AudioEncoding;
import io.spool.media.CodecParameters;
import io.spool.media.FFmpegCommand;
import io.spool.media.FFmpegRunner;
import io.spool.media.FFprobe;
import io.spool.media.HlsSegments;
import io.spool.media.Input;
import io.spool.media.InvalidInputException;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.Metrics;
import io.spool.media.Output;
import io.spool.media.OutputExistsException;
import io.spool.media.Preset;
import io.spool.media.ProcessFailedException;
import io.spool.media.ProgressListener;
import io.spool.media.RunOptions;
import io.spool.media.RunResult;
import io.spool.media.SpoolException;
import io.spool.media.StreamType;
import io.spool.media.Toolchain;
import io.spool.media.TranscodeOptions;
import io.spool.media.Transcoder;
import io.spool.media.UsageMeter;
import io.spool.media.VideoEncoding;
import io.spool.media.internal.AtomicFolder;
import io.spool.media.internal.FailureClassifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Makes an HLS ladder of one input: a master playlist ({@value #MASTER}) and, for each rung, a
 * media playlist with its MPEG-TS segments, all in one folder. H.264 (the web preset, its bit rate
 * capped per rung) and AAC stereo, one ffmpeg process for every rung: the input is decoded once and
 * each rung scales and encodes its own copy, keyframes forced at every segment boundary so the
 * rungs' segments line up. The master's bandwidths are measured from the segments written, its
 * codec names read from the streams themselves.
 */
public final class HlsPackager {
  public static final String MASTER = "master.m3u8";
  /** Rungs shorter than the input by more than this (and 5%) mean the input was cut short. */
  private static final double TRUNCATION_SLACK_SECONDS = 0.5;
  private static final int AUDIO_KBPS = 128;

  private final Toolchain tools;

  private HlsPackager(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static HlsPackager using(Toolchain tools) {
    return new HlsPackager(tools);
  }

  /**
   * Writes the ladder of {@code input} into the folder {@code target}, which appears whole once
   * every rung is written and checked, or not at all.
   *
   * @throws OutputExistsException if something is at {@code target} already (checked before the
   *     work and again as it is published)
   */
  public HlsResult write(Path input, Path target, HlsOptions options, ProgressListener listener) {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new OutputExistsException(target.toString());
    }
    try (AtomicFolder out = AtomicFolder.beside(target)) {
      HlsResult r = writeStaged(input, out.temporary(), out.target(), options, listener);
      out.publishNew(target.toString());
      return r;
    }
  }

  /**
   * Writes the ladder of {@code input} into {@code staged}, an empty folder that the caller
   * publishes as {@code reportedAs} once this returns, or discards when it throws.
   */
  public HlsResult writeStaged(Path input, Path staged, Path reportedAs, HlsOptions options, ProgressListener listener) {
    return writeStaged(Input.of(input), staged, reportedAs, options, listener);
  }

  /**
   * {@link #writeStaged(Path, Path, Path, HlsOptions, ProgressListener)} for an input that is a
   * local file or a file read over HTTP(S) ({@link Input#of(io.spool.media.RemoteFile)}), which
   * ffprobe and ffmpeg read where it is, each once.
   */
  public HlsResult writeStaged(Input input, Path staged, Path reportedAs, HlsOptions options, ProgressListener listener) {
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    MediaInfo in = FFprobe.using(metered).probe(input);
    FFmpegCommand command = plan(in, input, options, staged);
    RunResult run = FFmpegRunner.using(metered).run(command,
        new RunOptions(options.timeout(), in.durationSeconds(), options.memoryLimitBytes(), listener));
    List<HlsRung> rungs = new ArrayList<>();
    try {
      for (Output o : command.outputs()) {
        rungs.add(check(in, o, staged, run, metered));
      }
    } catch (InvalidInputException e) {
      throw FailureClassifier.unlessConnectionLost(e, run.stderrTail(), in.path());
    }
    writeMaster(staged.resolve(MASTER), rungs);
    int source = in.primaryVideo().map(MediaStream::displayHeight).orElse(0);
    List<Integer> dropped = options.heights().stream().filter(h -> h > source).toList();
    double wall = run.metrics().wallSeconds();
    Metrics used = meter.total(wall);
    return new HlsResult(in.path(), reportedAs, MASTER, rungs, dropped, in.durationSeconds(),
        wall > 0 ? in.durationSeconds() / wall : 0, used);
  }

  /**
   * The ffmpeg command that writes every rung of {@code in} into {@code folder}: one output per
   * rung ({@link HlsOptions#rungsFor}), each the web preset's H.264 at its height, with the same
   * deinterlacing, tone mapping and scaling as a transcode, and AAC stereo. Pure: nothing runs.
   *
   * @throws InvalidInputException if the input has no video, or no picture size
   */
  public static FFmpegCommand plan(MediaInfo in, HlsOptions options, Path folder) {
    return plan(in, Input.of(in.path()), options, folder);
  }

  private static FFmpegCommand plan(MediaInfo in, Input source, HlsOptions options, Path folder) {
    MediaStream video = in.primaryVideo().orElseThrow(() -> new InvalidInputException(
        in.path().getFileName() + " has no video stream to make an HLS ladder of"));
    if (video.displayHeight() <= 0) {
      throw new InvalidInputException(in.path().getFileName() + " has a video stream of unknown picture size");
    }
    MediaStream audio = in.primaryAudio().orElse(null);
    FFmpegCommand.Builder command = FFmpegCommand.newBuilder().input(source);
    for (int height : options.rungsFor(video.displayHeight())) {
      String name = height + "p";
      Path playlist = folder.resolve(name + ".m3u8");
      TranscodeOptions t = TranscodeOptions.newBuilder().preset(Preset.WEB).height(height).crf(options.crf())
          .threads(options.threads()).build();
      Output planned = Transcoder.plan(in, t, playlist).outputs().get(0);
      Output.Builder rung = Output.newBuilder(playlist).hls(new HlsSegments(options.segmentSeconds(), name))
          .threads(options.threads()).stream(video.index()).video(capped(planned.video(), height))
          .videoFilters(planned.videoFilters());
      if (audio != null) {
        int channels = audio.channels() == 1 ? 1 : 2;
        rung.stream(audio.index()).audio(new AudioEncoding("aac", AUDIO_KBPS, channels, null));
      }
      command.output(rung.build());
    }
    return command.build();
  }

  /**
   * The encoding with its bit rate capped for its height, so that no stretch of a rung needs far
   * more bandwidth than its neighbours (a player picks a rung by bandwidth); the quality factor
   * still rules below the cap.
   */
  static VideoEncoding capped(VideoEncoding encoding, int height) {
    int kbps = height >= 2160 ? 16000 : height >= 1440 ? 10000 : height >= 1080 ? 6000 : height >= 720 ? 3500
        : height >= 540 ? 2000 : height >= 480 ? 1500 : height >= 360 ? 900 : 600;
    return encoding.toBuilder().option("maxrate", kbps + "k").option("bufsize", 2 * kbps + "k").build();
  }

  /**
   * Reads back one rung: a complete playlist whose segments are all there, as long as the input,
   * with the planned streams. Its bandwidths are measured from the segments' sizes (RFC 8216
   * 4.3.4.2: the peak segment bit rate, and the mean), its size and codec names from its first
   * segment.
   */
  private static HlsRung check(MediaInfo in, Output planned, Path folder, RunResult run, Toolchain tools) {
    String file = planned.path().getFileName().toString();
    String name = file.substring(0, file.length() - ".m3u8".length());
    MediaPlaylist playlist;
    try {
      playlist = MediaPlaylist.parse(Files.readString(planned.path(), StandardCharsets.UTF_8));
    } catch (IOException | InvalidInputException e) {
      throw new ProcessFailedException("ffmpeg wrote no readable " + file + ": " + e.getMessage(), 0, run.stderrTail());
    }
    if (!playlist.ended() || playlist.segments().isEmpty()) {
      throw new ProcessFailedException("ffmpeg left " + file + " unfinished", 0, run.stderrTail());
    }
    long bytes = 0;
    double peak = 0;
    for (MediaPlaylist.Segment s : playlist.segments()) {
      long size;
      try {
        size = Files.size(folder.resolve(s.uri()));
      } catch (IOException e) {
        throw new ProcessFailedException("segment " + s.uri() + " of " + file + " is missing", 0, run.stderrTail());
      }
      bytes += size;
      if (s.durationSeconds() > 0) {
        peak = Math.max(peak, 8.0 * size / s.durationSeconds());
      }
    }
    double expected = in.durationSeconds();
    double made = playlist.durationSeconds();
    if (expected > 0 && made < expected - Math.max(TRUNCATION_SLACK_SECONDS, 0.05 * expected)) {
      throw new InvalidInputException(String.format(Locale.ROOT,
          "input is truncated or damaged: only %.2f s of %.2f s could be decoded from %s", made, expected,
          in.path().getFileName()), run.stderrTail(), null);
    }
    List<CodecParameters> streams = FFprobe.using(tools).codecParameters(folder.resolve(playlist.segments().get(0).uri()));
    CodecParameters v = streams.stream().filter(s -> s.type() == StreamType.VIDEO).findFirst().orElseThrow(
        () -> new InvalidInputException("no video could be decoded from " + in.path().getFileName(), run.stderrTail(), null));
    List<String> codecs = new ArrayList<>();
    codecs.add(CodecStrings.avc(v.extradata()));
    if (planned.audio() != null) {
      CodecParameters a = streams.stream().filter(s -> s.type() == StreamType.AUDIO).findFirst().orElseThrow(
          () -> new InvalidInputException("no audio could be decoded from " + in.path().getFileName(), run.stderrTail(), null));
      codecs.add(CodecStrings.aac(a.codec(), a.profile()));
    }
    long average = made > 0 ? Math.round(8.0 * bytes / made) : 0;
    return new HlsRung(name, file, v.width(), v.height(), (long) Math.ceil(peak), average,
        codecs.contains(null) ? null : String.join(",", codecs), playlist.segments().size(), bytes, made);
  }

  private static void writeMaster(Path file, List<HlsRung> rungs) {
    MasterPlaylist master = new MasterPlaylist(rungs.stream().map(r -> new MasterPlaylist.Variant(r.playlist(),
        r.bandwidth(), r.averageBandwidth(), r.width(), r.height(), r.codecs())).toList());
    try {
      Files.writeString(file, master.render(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SpoolException(io.spool.media.ErrorCode.IO_ERROR, "cannot write " + file + ": " + e.getMessage(), List.of(), e);
    }
  }
}
