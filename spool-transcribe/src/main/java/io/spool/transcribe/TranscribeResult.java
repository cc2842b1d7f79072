package io.spool.transcribe;

import io.spool.media.Metrics;

/**
 * A finished transcription.
 *
 * @param model the Whisper model's file name; null for pocketsphinx
 * @param metrics what the work used: ffprobe and ffmpeg as processes, the recogniser in this one
 * @param recognitionSeconds wall time of the recognition alone (after the audio was extracted)
 * @param note something the reader should know about the result (a model without weights), or null
 */
public record TranscribeResult(Transcript transcript, SpeechEngine engine, String model, Metrics metrics,
    double recognitionSeconds, String note) {

  /** Wall seconds per media second: below 1 is faster than real time. 0 for media of no length. */
  public double realTimeFactor() {
    double media = transcript.durationSeconds();
    return media > 0 ? metrics.wallSeconds() / media : 0;
  }
}
