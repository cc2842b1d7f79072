package io.spool.http.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.spool.engine.Resources;
import io.spool.engine.RetryPolicy;
import io.spool.media.BadArgumentException;
import io.spool.media.Preset;
import io.spool.media.TranscodeOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options and resources of a job as a request gives them: the same as the CLI's flags, as
 * typed values. Every value becomes an enum, a number or a name from a fixed list before it reaches
 * the media module, so none can become an ffmpeg option.
 */
final class JobOptions {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  private JobOptions() {}

  /** A transcode's options: {@code {"preset": "web", "height": 720, "crf": 23, "video_codec": "libx265", ...}}. */
  record Transcode(String preset, Integer height, Integer crf, String videoCodec, String audioBitrate,
      Boolean upscale) {
    TranscodeOptions build() {
      return TranscodeOptions.newBuilder().preset(Preset.parse(preset == null ? "web" : preset)).height(height).crf(crf)
          .videoCodec(videoCodec).audioBitrateKbps(audioBitrate == null ? null : kbps(audioBitrate))
          .allowUpscale(Boolean.TRUE.equals(upscale)).build();
    }
  }

  /** What a job asks for: {@code {"cpu": 2, "memory": 2048, "gpu": "none", "timeout": "10m", "retries": 3}} (a timeout may be a number of seconds). */
  record Needs(Integer cpu, @JsonProperty("memory") Integer memoryMiB, String gpu,
      @JsonDeserialize(using = HttpJson.TextOrNumber.class) String timeout, Integer retries) {
    Resources build(int defaultCpu, Duration defaultTimeout) {
      if (retries != null && (retries < 0 || retries > 10)) {
        throw new BadArgumentException("retries must be between 0 and 10, got " + retries);
      }
      return Resources.newBuilder().cpu(cpu != null ? cpu : defaultCpu).memoryMiB(memoryMiB).gpu(gpu == null ? "none" : gpu)
          .timeout(timeout != null ? duration(timeout) : defaultTimeout)
          .retries(new RetryPolicy(retries == null ? 3 : retries, Duration.ofSeconds(1), 2.0)).build();
    }
  }

  /** Query parameters read as a transcode's options and resources: {@code ?preset=web&height=720&cpu=2}. */
  static Transcode transcodeOf(Map<String, String> query) {
    return convert(query, Transcode.class);
  }

  static Needs needsOf(Map<String, String> query) {
    return convert(query, Needs.class);
  }

  private static <T> T convert(Map<String, String> values, Class<T> type) {
    return HttpJson.fromQuery(values, type);
  }

  static int kbps(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      int v = t.endsWith("k") ? Integer.parseInt(t.substring(0, t.length() - 1)) : Integer.parseInt(t);
      return !t.endsWith("k") && v >= 6000 ? v / 1000 : v;
    } catch (NumberFormatException e) {
      throw new BadArgumentException("audio_bitrate must look like 128k, got '" + text + "'");
    }
  }

  /** {@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h}, a bare number of seconds, or ISO-8601 ({@code PT10M}). */
  static Duration duration(String text) {
    String v = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
    } catch (java.time.format.DateTimeParseException e) {
      throw new BadArgumentException("'" + text + "' is not a duration (try 90s, 10m, 2h)");
    }
    Matcher m = DURATION.matcher(v);
    if (!m.matches()) {
      throw new BadArgumentException("'" + text + "' is not a duration (try 90s, 10m, 2h)");
    }
    double n = Double.parseDouble(m.group(1));
    double millis = switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms" -> n;
      case "m" -> n * 60_000;
      case "h" -> n * 3_600_000;
      default -> n * 1000;
    };
    if (millis < 1) {
      throw new BadArgumentException("a duration must be positive: '" + text + "'");
    }
    return Duration.ofMillis((long) millis);
  }
}
