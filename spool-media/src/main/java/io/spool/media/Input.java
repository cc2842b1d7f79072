package io.spool.media;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something ffmpeg reads: a local file, or a generated source (a lavfi graph such as
 * {@code testsrc2}) used for samples, tests and capability checks.
 *
 * @param gpuDecode a file decoded by the GPU (NVDEC), its frames kept in GPU memory
 *     ({@code -hwaccel cuda -hwaccel_output_format cuda}): only GPU filters and NVENC take them
 */
public record Input(Path path, FilterChain generator, Double durationSeconds, boolean gpuDecode) {

  public Input {
    if ((path == null) == (generator == null)) {
      throw new IllegalArgumentException("an Input is either a path or a generator, not both or neither");
    }
    if (durationSeconds != null && durationSeconds <= 0) {
      throw new BadArgumentException("input duration must be > 0, got " + durationSeconds);
    }
    if (gpuDecode && path == null) {
      throw new IllegalArgumentException("only a file is decoded on the GPU");
    }
  }

  public static Input of(Path path) {
    return new Input(Objects.requireNonNull(path, "path"), null, null, false);
  }

  /** A lavfi source, e.g. {@code Input.generated(FilterChain.of(Filter.of("testsrc2")...))}. */
  public static Input generated(Filter source) {
    return new Input(null, new FilterChain(java.util.List.of(source)), null, false);
  }

  /** Reads only the first {@code seconds} of the input ({@code -t} before {@code -i}). */
  public Input limitedTo(double seconds) {
    return new Input(path, generator, seconds, gpuDecode);
  }

  /** This file, decoded on the GPU with its frames kept in GPU memory. */
  public Input decodedOnGpu() {
    return new Input(path, generator, durationSeconds, true);
  }
}
