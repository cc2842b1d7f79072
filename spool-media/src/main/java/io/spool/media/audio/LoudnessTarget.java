package io.spool.media.audio;

import io.spool.media.BadArgumentException;

/**
 * Where EBU R128 normalization aims, within what ffmpeg's {@code loudnorm} accepts.
 * {@link #DEFAULT} is the reference guide's: I=-16 LUFS, TP=-1.5 dBTP, LRA=11 LU.
 *
 * @param integrated integrated loudness in LUFS, -70 to -5
 * @param truePeak the highest true peak in dBTP, -9 to 0
 * @param range loudness range in LU, 1 to 50
 */
public record LoudnessTarget(double integrated, double truePeak, double range) {
  public static final LoudnessTarget DEFAULT = new LoudnessTarget(-16, -1.5, 11);

  public LoudnessTarget {
    check("integrated loudness", integrated, -70, -5, "LUFS");
    check("true peak", truePeak, -9, 0, "dBTP");
    check("loudness range", range, 1, 50, "LU");
  }

  private static void check(String what, double v, double min, double max, String unit) {
    if (!(v >= min && v <= max)) {
      throw new BadArgumentException(what + " target must be between " + fmt(min) + " and " + fmt(max) + " " + unit
          + ", got " + v);
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
