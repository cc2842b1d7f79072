package io.spool.transcribe;

import io.spool.media.BadArgumentException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How to transcribe: the engine, the model, the language, and what the work may use. Build with
 * {@link #newBuilder()}.
 *
 * @param engine null: Whisper when a model is found, else a failure that says which model to get
 * @param model a Whisper model file; null: the one {@link WhisperModels} finds
 * @param language {@code auto} (detect; English-only models and pocketsphinx speak English) or a
 *     two- or three-letter language code such as {@code en}
 * @param threads cores the recogniser and ffmpeg may use
 * @param timeout how long the whole transcription may take; null for no limit
 * @param memoryLimitBytes ffmpeg is ended when it grows past this; 0 for no limit
 * @param piece the stretch of the media to transcribe, or null for all of it; the transcript's
 *     times are then counted from the piece's start
 */
public record TranscribeOptions(SpeechEngine engine, Path model, String language, int threads, Duration timeout,
    long memoryLimitBytes, Piece piece) {

  /** A stretch of the media: from {@code startSeconds}, {@code seconds} long (or to its end, if that comes first). */
  public record Piece(double startSeconds, double seconds) {
    public Piece {
      if (!(startSeconds >= 0) || !(seconds > 0)) {
        throw new BadArgumentException("a piece starts at >= 0 s and lasts > 0 s, got " + startSeconds + " s + " + seconds + " s");
      }
    }

    public double endSeconds() {
      return startSeconds + seconds;
    }
  }

  public static final String AUTO = "auto";

  public TranscribeOptions {
    language = language == null ? AUTO : language.strip().toLowerCase(Locale.ROOT);
    if (!language.equals(AUTO) && !language.matches("[a-z]{2,3}")) {
      throw new BadArgumentException("language must be auto or a code such as en, got '" + language + "'");
    }
    if (threads < 1) {
      throw new BadArgumentException("threads must be >= 1, got " + threads);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new BadArgumentException("timeout must be positive, got " + timeout);
    }
    if (memoryLimitBytes < 0) {
      throw new BadArgumentException("memory limit must be >= 0, got " + memoryLimitBytes);
    }
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().engine(engine).model(model).language(language).threads(threads).timeout(timeout)
        .memoryLimitBytes(memoryLimitBytes).piece(piece);
  }

  public static final class Builder {
    private SpeechEngine engine;
    private Path model;
    private String language = AUTO;
    private int threads = 1;
    private Duration timeout;
    private long memoryLimitBytes;
    private Piece piece;

    private Builder() {}

    public Builder engine(SpeechEngine engine) {
      this.engine = engine;
      return this;
    }

    public Builder model(Path model) {
      this.model = model;
      return this;
    }

    public Builder language(String language) {
      this.language = language;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder memoryLimitBytes(long bytes) {
      this.memoryLimitBytes = bytes;
      return this;
    }

    /** Only this stretch of the media (null: all of it). */
    public Builder piece(Piece piece) {
      this.piece = piece;
      return this;
    }

    public TranscribeOptions build() {
      return new TranscribeOptions(engine, model, language, threads, timeout, memoryLimitBytes, piece);
    }
  }
}
