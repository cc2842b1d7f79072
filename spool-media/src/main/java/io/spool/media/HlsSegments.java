package io.spool.media;

import java.util.regex.Pattern;

/**
 * How an output is cut for HTTP Live Streaming ({@code -f hls}): a VOD media playlist at the
 * output's path and its MPEG-TS segments beside it, named {@code PREFIX_00000.ts} on. Every
 * segment starts on a keyframe forced at each multiple of {@code segmentSeconds}, so outputs
 * encoded side by side from one input (the rungs of a ladder) cut their segments at the same
 * times.
 *
 * @param segmentSeconds the target segment length
 * @param segmentPrefix the segments' file name before {@code _00000.ts}
 */
public record HlsSegments(double segmentSeconds, String segmentPrefix) {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  public HlsSegments {
    if (!(segmentSeconds >= 1 && segmentSeconds <= 60)) {
      throw new BadArgumentException("segment length must be between 1 and 60 seconds, got " + segmentSeconds);
    }
    if (segmentPrefix == null || !PREFIX.matcher(segmentPrefix).matches()) {
      throw new BadArgumentException("segment name prefix must be letters, digits, '_', '.' or '-', got '" + segmentPrefix + "'");
    }
  }

  /** The segment length as ffmpeg reads it: {@code 6} rather than {@code 6.0}. */
  String seconds() {
    return java.math.BigDecimal.valueOf(segmentSeconds).stripTrailingZeros().toPlainString();
  }

  /** The segments' file name pattern, numbered by ffmpeg. */
  String segmentPattern() {
    return segmentPrefix + "_%05d.ts";
  }
}
