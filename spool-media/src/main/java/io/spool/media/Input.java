package io.spool.media;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something ffmpeg reads: a local file, or a generated source (a lavfi graph such as
 * {@code testsrc2}) used for samples, tests and capability checks.
 *
 * @param durationSeconds read only this much ({@code -t} before {@code -i}); null reads it all
 * @param startNearSeconds start reading at the keyframe at or before this time (from the file's
 *     start), keeping every frame decoded from there ({@code -ss} with {@code -noaccurate_seek}):
 *     the caller trims; null starts at the beginning
 * @param format the demuxer to read with; null lets ffmpeg detect it. {@code concat} reads an
 *     ffconcat list (see {@link #concatList})
 */
public record Input(Path path, FilterChain generator, Double durationSeconds, Double startNearSeconds, String format) {

  public Input {
    if ((path == null) == (generator == null)) {
      throw new IllegalArgumentException("an Input is either a path or a generator, not both or neither");
    }
    if (durationSeconds != null && durationSeconds <= 0) {
      throw new BadArgumentException("input duration must be > 0, got " + durationSeconds);
    }
    if (startNearSeconds != null && !(startNearSeconds >= 0)) {
      throw new BadArgumentException("input start must be >= 0 s, got " + startNearSeconds);
    }
    if (format != null) {
      Arguments.token("input format", format);
    }
  }

  public Input(Path path, FilterChain generator, Double durationSeconds) {
    this(path, generator, durationSeconds, null, null);
  }

  public static Input of(Path path) {
    return new Input(Objects.requireNonNull(path, "path"), null, null);
  }

  /** A lavfi source, e.g. {@code Input.generated(FilterChain.of(Filter.of("testsrc2")...))}. */
  public static Input generated(Filter source) {
    return new Input(null, new FilterChain(java.util.List.of(source)), null);
  }

  /**
   * An ffconcat list that Spool wrote: the files it names play one after another, their packets
   * copied as they are (the concat demuxer, with file names taken as written).
   */
  public static Input concatList(Path list) {
    return new Input(Objects.requireNonNull(list, "list"), null, null, null, "concat");
  }

  /** Reads only the first {@code seconds} of the input ({@code -t} before {@code -i}). */
  public Input limitedTo(double seconds) {
    return new Input(path, generator, seconds, startNearSeconds, format);
  }

  /** Starts reading at the keyframe at or before {@code seconds}, dropping nothing decoded from there. */
  public Input startingNear(double seconds) {
    return new Input(path, generator, durationSeconds, seconds, format);
  }
}
