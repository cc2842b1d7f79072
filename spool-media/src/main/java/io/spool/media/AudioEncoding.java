package io.spool.media;

/**
 * How to encode audio.
 *
 * @param bitrateKbps target bit rate in kbit/s; null lets the encoder choose
 * @param channels output channel count; null keeps the input's
 */
public record AudioEncoding(String codec, Integer bitrateKbps, Integer channels, Integer sampleRate) {

  public AudioEncoding {
    Arguments.token("audio codec", codec);
    if (bitrateKbps != null && (bitrateKbps < 6 || bitrateKbps > 1536)) {
      throw new BadArgumentException("audio bitrate must be between 6 and 1536 kbit/s, got " + bitrateKbps);
    }
    if (channels != null && (channels < 1 || channels > 8)) {
      throw new BadArgumentException("audio channels must be between 1 and 8, got " + channels);
    }
    if (sampleRate != null && (sampleRate < 8000 || sampleRate > 192000)) {
      throw new BadArgumentException("sample rate must be between 8000 and 192000 Hz, got " + sampleRate);
    }
  }

  /** The input's audio packets as they are, not encoded again ({@code -c:a copy}). */
  public static AudioEncoding copy() {
    return new AudioEncoding("copy", null, null, null);
  }

  public static AudioEncoding of(String codec, int bitrateKbps) {
    return new AudioEncoding(codec, bitrateKbps, null, null);
  }

  public AudioEncoding withBitrate(int kbps) {
    return new AudioEncoding(codec, kbps, channels, sampleRate);
  }
}
