package io.spool.cli;

import java.util.Locale;
import java.util.Map;

/**
 * PSNR and SSIM as a job's details hold them ({@code io.spool.engine.QualityJob#details}), for
 * JSON and people. An infinite PSNR (identical pictures) is {@code "Infinity"} in JSON, {@code inf} here.
 */
record QualitySummary(String size, long frames, Score psnr, Score ssim) {
  /** One measure: its mean over the frames, its worst frame's value and which frame that was (from 0). */
  record Score(double mean, double worst, long worstFrame) {}

  /** The scores in {@code details} under {@code prefix}; null when there are none. */
  static QualitySummary from(Map<String, String> details, String prefix) {
    if (!details.containsKey(prefix + "psnrMean")) {
      return null;
    }
    return new QualitySummary(details.get(prefix + "size"), Long.parseLong(details.get(prefix + "frames")),
        new Score(number(details.get(prefix + "psnrMean")), number(details.get(prefix + "psnrWorst")),
            Long.parseLong(details.get(prefix + "psnrWorstFrame"))),
        new Score(number(details.get(prefix + "ssimMean")), number(details.get(prefix + "ssimWorst")),
            Long.parseLong(details.get(prefix + "ssimWorstFrame"))));
  }

  private static double number(String v) {
    return v.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
  }

  /** Two lines, each starting with {@code indent}. */
  String human(String indent) {
    return String.format(Locale.ROOT, "%sPSNR      %s mean, %s worst (frame %d)%n%sSSIM      %.4f mean, %.4f worst (frame %d)",
        indent, db(psnr.mean()), db(psnr.worst()), psnr.worstFrame(), indent, ssim.mean(), ssim.worst(), ssim.worstFrame());
  }

  private static String db(double v) {
    return Double.isInfinite(v) ? "inf dB" : String.format(Locale.ROOT, "%.2f dB", v);
  }
}
