package io.spool.transcribe;

import io.spool.media.BadArgumentException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The speech recognisers Spool can run. */
public enum SpeechEngine {
  /** whisper.cpp, in this process through its JNI binding; needs a ggml Whisper model file. */
  WHISPER,
  /** ffmpeg's {@code asr} filter (CMU pocketsphinx) with the system's English model; no download. */
  POCKETSPHINX;

  /** The name on the command line and in job parameters: {@code whisper}, {@code pocketsphinx}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SpeechEngine parse(String id) {
    for (SpeechEngine e : values()) {
      if (e.id().equals(id)) {
        return e;
      }
    }
    throw new BadArgumentException("unknown speech engine '" + id + "'; use "
        + Arrays.stream(values()).map(SpeechEngine::id).collect(Collectors.joining(" or ")));
  }
}
