package io.spool.media.audio;

import io.spool.media.AudioEncoding;
import io.spool.media.BadArgumentException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What extracted audio is encoded as, and which containers (by file extension) may hold it.
 * {@link #WAV16K} is what speech recognisers such as Whisper read: 16 kHz mono 16-bit PCM.
 */
public enum AudioFormat {
  /** 16 kHz mono 16-bit PCM WAV, for speech recognition. */
  WAV16K(new AudioEncoding("pcm_s16le", null, 1, 16000), Map.of("wav", "wav")),
  /** MP3 at 192 kbit/s. */
  MP3(AudioEncoding.of("libmp3lame", 192), Map.of("mp3", "mp3")),
  /** AAC at 192 kbit/s, in M4A (or MP4, MKA, or raw ADTS for {@code .aac}). */
  AAC(AudioEncoding.of("aac", 192), Map.of("m4a", "ipod", "mp4", "mp4", "aac", "adts", "mka", "matroska")),
  /** Opus at 128 kbit/s, in Ogg ({@code .opus}, {@code .ogg}), WebM or MKA. */
  OPUS(AudioEncoding.of("libopus", 128), Map.of("opus", "opus", "ogg", "ogg", "webm", "webm", "mka", "matroska"));

  private final AudioEncoding encoding;
  private final Map<String, String> muxers;

  AudioFormat(AudioEncoding encoding, Map<String, String> muxers) {
    this.encoding = encoding;
    this.muxers = muxers;
  }

  /** Accepts the CLI spelling, e.g. {@code wav16k}. */
  public static AudioFormat parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new BadArgumentException("unknown audio format '" + name + "'; choose one of " + names());
    }
  }

  /** The format a file name's extension implies ({@code .wav}: WAV16K, {@code .m4a}: AAC, ...). */
  public static AudioFormat forFileName(String fileName) {
    String ext = extension(fileName);
    for (AudioFormat f : List.of(WAV16K, MP3, OPUS, AAC)) {
      if (f.muxers.containsKey(ext) && !ext.equals("mka")) {
        return f;
      }
    }
    throw new BadArgumentException("cannot tell the audio format from '" + fileName + "'; name it .wav, .mp3, .m4a or .opus,"
        + " or give --format (" + names() + ")");
  }

  public static String names() {
    return Arrays.stream(values()).map(AudioFormat::id).collect(Collectors.joining(", "));
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public AudioEncoding encoding() {
    return encoding;
  }

  /** The muxer for a file of this format named {@code fileName}. */
  public String muxerFor(String fileName) {
    String muxer = muxers.get(extension(fileName));
    if (muxer == null) {
      throw new BadArgumentException(id() + " audio does not go in a ." + extension(fileName) + " file; name it "
          + muxers.keySet().stream().sorted().map(e -> "." + e).collect(Collectors.joining(", ")));
    }
    return muxer;
  }

  static String extension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
