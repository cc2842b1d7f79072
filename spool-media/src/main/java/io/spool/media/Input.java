package io.spool.media;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something ffmpeg reads: a local file, or a generated source (a lavfi graph such as
 * {@code testsrc2}) used for samples, tests and capability checks.
 */
public record Input(Path path, FilterChain generator, Double startSeconds, Double durationSeconds) {

  public Input {
    if ((path == null) == (generator == null)) {
      throw new IllegalArgumentException("an Input is either a path or a generator, not both or neither");
    }
    if (startSeconds != null && !(startSeconds >= 0)) {
      throw new BadArgumentException("input start must be >= 0, got " + startSeconds);
    }
    if (durationSeconds != null && durationSeconds <= 0) {
      throw new BadArgumentException("input duration must be > 0, got " + durationSeconds);
    }
  }

  public static Input of(Path path) {
    return new Input(Objects.requireNonNull(path, "path"), null, null, null);
  }

  /** A lavfi source, e.g. {@code Input.generated(FilterChain.of(Filter.of("testsrc2")...))}. */
  public static Input generated(Filter source) {
    return new Input(null, new FilterChain(java.util.List.of(source)), null, null);
  }

  /** Reads only the first {@code seconds} of the input ({@code -t} before {@code -i}). */
  public Input limitedTo(double seconds) {
    return new Input(path, generator, startSeconds, seconds);
  }

  /**
   * Reads the input from {@code seconds} in ({@code -ss} before {@code -i}): ffmpeg seeks, decodes
   * from there and drops what comes before that time, and what it reads starts at time 0.
   */
  public Input from(double seconds) {
    return new Input(path, generator, seconds, durationSeconds);
  }
}
