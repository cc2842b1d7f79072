package io.spool.engine;

import io.spool.media.BadArgumentException;
import java.util.Locale;

/**
 * How a job's ffmpeg reads an input kept in an S3 volume. Set for a worker by
 * {@link EngineConfig.Builder#s3Input} or the environment variable {@value #ENV}
 * ({@code url} or {@code copy}); {@link #URL} by default. Outputs are always written in scratch and
 * uploaded whatever this says.
 */
public enum S3Input {
  /**
   * ffprobe and ffmpeg read the object where it is, through a presigned GET URL, for the jobs that
   * read their input once from start to end (a transcode, an HLS ladder, an audio extraction); the
   * others, and every job on a host whose ffmpeg cannot read https, get a copy in scratch. Reading
   * in place overlaps the download with the work, where a copy reads every byte twice
   * (bench/s3-input).
   */
  URL,
  /** Every job downloads its S3 inputs into its scratch folder first and reads that copy. */
  COPY;

  public static final String ENV = "SPOOL_S3_INPUT";

  /** {@code url} or {@code copy}, in any case; null or blank: {@link #URL}. */
  public static S3Input parse(String text) {
    if (text == null || text.isBlank()) {
      return URL;
    }
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "url" -> URL;
      case "copy" -> COPY;
      default -> throw new BadArgumentException(ENV + " must be 'url' or 'copy', not '" + text.strip() + "'");
    };
  }

  /** What {@value #ENV} says. */
  public static S3Input fromEnvironment() {
    return parse(System.getenv(ENV));
  }
}
