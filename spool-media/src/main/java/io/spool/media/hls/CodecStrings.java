package io.spool.media.hls;

/**
 * RFC 6381 codec names for a master playlist's {@code CODECS}, from what the streams themselves
 * say: H.264's from its sequence parameter set (profile, constraint flags, level), AAC's from its
 * profile.
 */
final class CodecStrings {
  private static final int SPS = 7;

  private CodecStrings() {}

  /**
   * {@code avc1.PPCCLL} from an H.264 stream's codec configuration: an avcC record (MP4) or
   * Annex B NAL units (MPEG-TS); null when it holds no sequence parameter set.
   */
  static String avc(byte[] config) {
    if (config.length >= 4 && config[0] == 1) {
      return avc(config[1], config[2], config[3]);
    }
    for (int i = 0; i + 6 < config.length; i++) {
      if (config[i] == 0 && config[i + 1] == 0 && config[i + 2] == 1 && (config[i + 3] & 0x1F) == SPS) {
        return avc(config[i + 4], config[i + 5], config[i + 6]);
      }
    }
    return null;
  }

  private static String avc(byte profile, byte constraints, byte level) {
    return String.format(java.util.Locale.ROOT, "avc1.%02x%02x%02x", profile & 0xFF, constraints & 0xFF, level & 0xFF);
  }

  /** {@code mp4a.40.N} from ffprobe's name for an AAC profile; null for another codec or profile. */
  static String aac(String codec, String profile) {
    if (!"aac".equals(codec) || profile == null) {
      return null;
    }
    return switch (profile) {
      case "LC" -> "mp4a.40.2";
      case "HE-AAC" -> "mp4a.40.5";
      case "HE-AACv2" -> "mp4a.40.29";
      default -> null;
    };
  }
}
