package io.spool.media.audio;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.AudioEncoding;
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
import io.spool.media.ProcessFailedException;
import io.spool.media.ProgressListener;
import io.spool.media.RunOptions;
import io.spool.media.RunResult;
import io.spool.media.TimeoutExceededException;
import io.spool.media.Toolchain;
import io.spool.media.Transcoder;
import io.spool.media.UsageMeter;
import io.spool.media.VideoEncoding;
import io.spool.media.internal.FailureClassifier;
import io.spool.media.internal.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Audio operations: extraction of a file's main audio track to a format ({@link AudioFormat}),
 * and EBU R128 loudness normalization in two passes, as ffmpeg's {@code loudnorm} documentation
 * recommends: the first measures the input, the second applies one gain throughout
 * ({@code linear=true}) from those measurements; the written file is then measured again, so the
 * loudness reported is the file's own. {@code Audio.using(tools).normalize(...)}.
 *
 * <p>The output is written at the path given, whose container is chosen from {@code outputName}
 * (the file's final name: a staged file's own name may say nothing).
 */
public final class Audio {
  /** Output shorter than the input by more than this (and 5%) means the input was cut short. */
  private static final double TRUNCATION_SLACK_SECONDS = 0.5;
  private static final double MEASURE_STAGE = 0.3;
  private static final double APPLY_STAGE = 0.85;

  private final Toolchain tools;

  private Audio(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static Audio using(Toolchain tools) {
    return new Audio(tools);
  }

  /**
   * Extracts the main audio track of {@code input} into {@code output} as {@code format}.
   *
   * @throws InvalidInputException if the input has no audio track (or is not media)
   */
  public AudioResult extract(Path input, Path output, String outputName, AudioFormat format, Integer threads,
      Duration timeout, ProgressListener listener) {
    Transcoder.checkDistinct(input, output);
    return extract(Input.of(input), output, outputName, format, threads, timeout, listener);
  }

  /**
   * {@link #extract(Path, Path, String, AudioFormat, Integer, Duration, ProgressListener)} for an
   * input that is a local file or a file read over HTTP(S) ({@link Input#of(io.spool.media.RemoteFile)}),
   * which ffprobe and ffmpeg read where it is, each once.
   */
  public AudioResult extract(Input input, Path output, String outputName, AudioFormat format, Integer threads,
      Duration timeout, ProgressListener listener) {
    if (input.path() != null) {
      Transcoder.checkDistinct(input.path(), output);
    }
    long started = System.nanoTime();
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    MediaInfo in = FFprobe.using(metered).probe(input);
    MediaStream audio = audioOf(in, "extract");
    FFmpegCommand command = FFmpegCommand.newBuilder().input(input)
        .output(Output.newBuilder(output).format(format.muxerFor(outputName)).stream(audio.index())
            .audio(format.encoding()).threads(threads).build())
        .build();
    RunResult r = FFmpegRunner.using(metered).run(command, run(timeout, started, seconds(in, audio), listener));
    MediaInfo out;
    try {
      out = verify(metered, in, audio, output, r);
    } catch (InvalidInputException e) {
      throw FailureClassifier.unlessConnectionLost(e, r.stderrTail(), in.path());
    }
    MediaStream a = out.primaryAudio().orElseThrow();
    return new AudioResult(in.path(), output, format.encoding().codec(), a.sampleRate(), a.channels(), false, in.sizeBytes(),
        out.sizeBytes(), out.durationSeconds(), null, null, false, null, meter.total((System.nanoTime() - started) / 1e9));
  }

  /**
   * Normalizes the loudness of the main audio track of {@code input} to {@code target}, into
   * {@code output}: WAV, FLAC, MP3, M4A/AAC or Opus by its name; an MP4, MOV or MKV keeps the
   * input's video as it is (copied), a WebM its VP8, VP9 or AV1 video.
   *
   * @throws InvalidInputException if the input has no audio track, or is silent
   */
  public AudioResult normalize(Path input, Path output, String outputName, LoudnessTarget target, Integer threads,
      Duration timeout, ProgressListener listener) {
    Transcoder.checkDistinct(input, output);
    Container container = Container.of(outputName);
    long started = System.nanoTime();
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    MediaInfo in = FFprobe.using(metered).probe(input);
    MediaStream audio = audioOf(in, "normalize");
    double seconds = seconds(in, audio);
    Measured first = measure(metered, input, audio.index(), target, run(timeout, started, seconds,
        listener.within(0, MEASURE_STAGE)));
    Loudness before = first.loudness();
    if (Double.isInfinite(before.integrated())) {
      throw new InvalidInputException(input.getFileName() + " is silent: there is no loudness to normalize");
    }
    Filter loudnorm = loudnorm(target)
        .with("measured_i", number(before.integrated())).with("measured_tp", number(before.truePeak()))
        .with("measured_lra", number(before.range())).with("measured_thresh", number(before.threshold()))
        .with("offset", number(first.offset())).with("linear", "true").with("print_format", "json");
    MediaStream video = in.primaryVideo().filter(v -> container.keeps(v.codec())).orElse(null);
    AudioEncoding encoding = container.encoding();
    int rate = container.sampleRate(audio.sampleRate());
    encoding = new AudioEncoding(encoding.codec(), encoding.bitrateKbps(), null, rate);
    Output.Builder out = Output.newBuilder(output).format(container.muxer()).threads(threads)
        .fastStart(container.muxer().equals("mp4") || container.muxer().equals("mov"));
    if (video != null) {
      out.stream(video.index()).video(VideoEncoding.newBuilder().codec("copy").build());
    }
    out.stream(audio.index()).audio(encoding).audioFilters(FilterChain.of(loudnorm));
    RunResult applied = FFmpegRunner.using(metered).run(FFmpegCommand.newBuilder().input(Input.of(input)).output(out.build()).build(),
        run(timeout, started, seconds, listener.within(MEASURE_STAGE, APPLY_STAGE)));
    boolean linear = "linear".equals(report(applied).path("normalization_type").asText());
    MediaInfo written = verify(metered, in, audio, output, applied);
    MediaStream a = written.primaryAudio().orElseThrow();
    Loudness after = measure(metered, output, a.index(), target, run(timeout, started, seconds,
        listener.within(APPLY_STAGE, 1))).loudness();
    return new AudioResult(input, output, encoding.codec(), a.sampleRate(), a.channels(), video != null, in.sizeBytes(),
        written.sizeBytes(), written.durationSeconds(), before, after, linear, target,
        meter.total((System.nanoTime() - started) / 1e9));
  }

  /** Where a normalized track goes, by the output's extension: the muxer, the encoder, and which video it keeps. */
  private record Container(String muxer, AudioEncoding encoding, Set<String> videoCodecs) {
    private static final Set<String> ANY = Set.of("*");

    static Container of(String fileName) {
      return switch (AudioFormat.extension(fileName)) {
        case "wav" -> new Container("wav", new AudioEncoding("pcm_s16le", null, null, null), Set.of());
        case "flac" -> new Container("flac", new AudioEncoding("flac", null, null, null), Set.of());
        case "mp3" -> new Container("mp3", AudioEncoding.of("libmp3lame", 192), Set.of());
        case "m4a" -> new Container("ipod", AudioEncoding.of("aac", 192), Set.of());
        case "aac" -> new Container("adts", AudioEncoding.of("aac", 192), Set.of());
        case "opus" -> new Container("opus", AudioEncoding.of("libopus", 128), Set.of());
        case "ogg" -> new Container("ogg", AudioEncoding.of("libopus", 128), Set.of());
        case "mp4" -> new Container("mp4", AudioEncoding.of("aac", 192), ANY);
        case "mov" -> new Container("mov", AudioEncoding.of("aac", 192), ANY);
        case "mkv" -> new Container("matroska", AudioEncoding.of("aac", 192), ANY);
        case "mka" -> new Container("matroska", AudioEncoding.of("aac", 192), Set.of());
        case "webm" -> new Container("webm", AudioEncoding.of("libopus", 128), Set.of("vp8", "vp9", "av1"));
        default -> throw new io.spool.media.BadArgumentException("cannot tell the output format from '" + fileName
            + "'; name it .wav, .flac, .mp3, .m4a, .aac, .opus, .ogg, .mp4, .mov, .mkv, .mka or .webm");
      };
    }

    boolean keeps(String videoCodec) {
      return videoCodecs == ANY || videoCodecs.contains(videoCodec);
    }

    /** Opus takes 48 kHz; MP3 at most 48 kHz; the others the input's own rate. */
    int sampleRate(int input) {
      int rate = input > 0 ? input : 48000;
      return switch (encoding.codec()) {
        case "libopus" -> 48000;
        case "libmp3lame", "aac" -> Math.min(rate, 48000);
        default -> rate;
      };
    }
  }

  /** A first pass's findings: the loudness, and the gain loudnorm's second pass should start from. */
  private record Measured(Loudness loudness, double offset) {}

  /** The {@code loudnorm} analysis of a file's track {@code index}, as its JSON report gives it. */
  private static Measured measure(Toolchain tools, Path file, int index, LoudnessTarget target, RunOptions options) {
    FFmpegCommand command = FFmpegCommand.newBuilder().input(Input.of(file))
        .output(Output.newBuilder(file.resolveSibling(".loudness")).format("null").stream(index)
            .audio(new AudioEncoding("pcm_s16le", null, null, null))
            .audioFilters(FilterChain.of(loudnorm(target).with("print_format", "json"))).build())
        .build();
    RunResult r = FFmpegRunner.using(tools).run(command, options);
    JsonNode j = report(r);
    return new Measured(new Loudness(value(j, "input_i", r), value(j, "input_tp", r), value(j, "input_lra", r),
        value(j, "input_thresh", r)), value(j, "target_offset", r));
  }

  private static Filter loudnorm(LoudnessTarget t) {
    return Filter.of("loudnorm").with("i", number(t.integrated())).with("tp", number(t.truePeak()))
        .with("lra", number(t.range()));
  }

  /** The JSON block {@code loudnorm} logs as it ends: the last lines from a line "{" to a line "}". */
  private static JsonNode report(RunResult r) {
    List<String> lines = r.stderrTail();
    int open = -1;
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).strip().equals("{")) {
        open = i;
        break;
      }
    }
    StringBuilder json = new StringBuilder();
    for (int i = Math.max(0, open); open >= 0 && i < lines.size(); i++) {
      json.append(lines.get(i)).append('\n');
      if (lines.get(i).strip().equals("}")) {
        try {
          return Json.MAPPER.readTree(json.toString());
        } catch (IOException e) {
          break;
        }
      }
    }
    throw new ProcessFailedException("ffmpeg's loudnorm filter gave no report", 0, lines);
  }

  private static double value(JsonNode j, String key, RunResult r) {
    String v = j.path(key).asText("");
    return switch (v) {
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "inf" -> Double.POSITIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(v);
        } catch (NumberFormatException e) {
          throw new ProcessFailedException("ffmpeg's loudnorm report has no " + key + ": '" + v + "'", 0, r.stderrTail());
        }
      }
    };
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static MediaStream audioOf(MediaInfo in, String what) {
    return in.primaryAudio().orElseThrow(() -> new InvalidInputException(
        in.path().getFileName() + " has no audio track to " + what));
  }

  private static double seconds(MediaInfo in, MediaStream audio) {
    return audio.durationSeconds() > 0 ? audio.durationSeconds() : in.durationSeconds();
  }

  /** The written file reads back with an audio track as long as the input's. */
  private static MediaInfo verify(Toolchain tools, MediaInfo in, MediaStream audio, Path written, RunResult run) {
    MediaInfo out;
    try {
      out = FFprobe.using(tools).probe(written);
    } catch (InvalidInputException e) {
      throw new ProcessFailedException("ffmpeg wrote an unreadable file: " + e.getMessage(), 0, run.stderrTail());
    }
    if (!out.hasAudio()) {
      throw new InvalidInputException("no audio could be decoded from " + in.path().getFileName(), run.stderrTail(), null);
    }
    double expected = seconds(in, audio);
    if (expected > 0 && out.durationSeconds() < expected - Math.max(TRUNCATION_SLACK_SECONDS, 0.05 * expected)) {
      throw new InvalidInputException(String.format(Locale.ROOT,
          "input is truncated or damaged: only %.2f s of %.2f s of audio could be decoded from %s",
          out.durationSeconds(), expected, in.path().getFileName()), run.stderrTail(), null);
    }
    return out;
  }

  private static RunOptions run(Duration timeout, long started, double seconds, ProgressListener listener) {
    Duration left = null;
    if (timeout != null) {
      left = timeout.minusNanos(System.nanoTime() - started);
      if (left.isNegative() || left.isZero()) {
        throw new TimeoutExceededException("timed out after " + timeout.toSeconds() + " s");
      }
    }
    return new RunOptions(left, seconds, 0, listener);
  }
}
