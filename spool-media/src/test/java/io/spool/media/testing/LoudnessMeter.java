package io.spool.media.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures loudness with ffmpeg's {@code ebur128} filter, independently of Spool's own
 * {@code loudnorm} analysis: the summary it prints at its end.
 */
public final class LoudnessMeter {
  private static final Pattern INTEGRATED = Pattern.compile("I:\\s+(-?[0-9.]+) LUFS");
  private static final Pattern TRUE_PEAK = Pattern.compile("Peak:\\s+(-?[0-9.]+|-inf) dBFS");

  /** Integrated loudness (LUFS) and true peak (dBTP) of a file's first audio track. */
  public record Reading(double integrated, double truePeak) {}

  private LoudnessMeter() {}

  public static Reading measure(Path file) {
    try {
      Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-i", file.toString(), "-map", "0:a:0",
          "-af", "ebur128=peak=true", "-f", "null", "-").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(err).isZero();
      String summary = err.substring(Math.max(0, err.lastIndexOf("Summary:")));
      Matcher i = INTEGRATED.matcher(summary);
      Matcher tp = TRUE_PEAK.matcher(summary);
      assertThat(i.find() && tp.find()).as(summary).isTrue();
      return new Reading(Double.parseDouble(i.group(1)),
          tp.group(1).equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(tp.group(1)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
