package io.spool.media;

import java.util.Locale;

/** The kind of an elementary stream, as ffprobe's {@code codec_type}. */
public enum StreamType {
  VIDEO,
  AUDIO,
  SUBTITLE,
  DATA,
  ATTACHMENT,
  UNKNOWN;

  public static StreamType fromProbe(String codecType) {
    if (codecType == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(codecType.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }
}
