package io.spool.media;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something ffmpeg reads: a local file, a file read over HTTP(S), numbered images read as one stream, or a generated
 * source (a lavfi graph such as {@code testsrc2}) used for samples, tests and capability checks.
 *
 * @param durationSeconds read only this long ({@code -t} before {@code -i}); null for all of it
 * @param seekSeconds start reading here ({@code -ss} before {@code -i}: ffmpeg seeks to the
 *     keyframe before and, unless {@code keyframeSeek}, drops the frames before this time); null for
 *     the start
 * @param keyframeSeek keep every frame decoded from the keyframe at or before {@code seekSeconds}
 *     ({@code -noaccurate_seek}): the caller trims
 * @param gpuDecode a file decoded by the GPU (NVDEC), its frames kept in GPU memory
 *     ({@code -hwaccel cuda -hwaccel_output_format cuda}): only GPU filters and NVENC take them
 * @param format the demuxer to read with; null lets ffmpeg detect it. {@code concat} reads an
 *     ffconcat list (see {@link #concatList})
 * @param remote a file read over HTTP(S) ({@link #of(RemoteFile)})
 */
public record Input(Path path, FilterChain generator, Double durationSeconds, Double seekSeconds, boolean keyframeSeek,
    ImageSequence images, RawVideo stdin, boolean gpuDecode, String format, RemoteFile remote) {

  public Input {
    int sources = (path == null ? 0 : 1) + (generator == null ? 0 : 1) + (images == null ? 0 : 1) + (stdin == null ? 0 : 1)
        + (remote == null ? 0 : 1);
    if (sources != 1) {
      throw new IllegalArgumentException("an Input is one of a path, a remote file, a generator, an image sequence or raw frames");
    }
    if (durationSeconds != null && !(durationSeconds > 0)) {
      throw new BadArgumentException("input duration must be > 0, got " + durationSeconds);
    }
    if (seekSeconds != null && !(seekSeconds >= 0 && Double.isFinite(seekSeconds))) {
      throw new BadArgumentException("input start must be >= 0 seconds, got " + seekSeconds);
    }
    if (keyframeSeek && seekSeconds == null) {
      throw new IllegalArgumentException("a keyframe seek needs a start time");
    }
    if (gpuDecode && path == null && remote == null) {
      throw new IllegalArgumentException("only a file is decoded on the GPU");
    }
    if (format != null) {
      Arguments.token("input format", format);
      if (path == null && remote == null) {
        throw new IllegalArgumentException("only a file is read with a named demuxer");
      }
    }
  }

  public static Input of(Path path) {
    return new Input(Objects.requireNonNull(path, "path"), null, null, null, false, null, null, false, null, null);
  }

  /**
   * A file read over HTTP(S), such as an S3 object through a presigned URL; dropped connections are
   * opened again where reading stopped ({@link RemoteFile}).
   */
  public static Input of(RemoteFile remote) {
    return new Input(null, null, null, null, false, null, null, false, null, Objects.requireNonNull(remote, "remote"));
  }

  /** A lavfi source, e.g. {@code Input.generated(FilterChain.of(Filter.of("testsrc2")...))}. */
  public static Input generated(Filter source) {
    return new Input(null, new FilterChain(java.util.List.of(source)), null, null, false, null, null, false, null, null);
  }

  /** Numbered images as one video stream, in the order of their numbers. */
  public static Input of(ImageSequence images) {
    return new Input(null, null, null, null, false, Objects.requireNonNull(images, "images"), null, false, null, null);
  }

  /** Raw frames written to ffmpeg's standard input ({@link RunHandle#stdin()}). */
  public static Input fromStdin(RawVideo frames) {
    return new Input(null, null, null, null, false, null, Objects.requireNonNull(frames, "frames"), false, null, null);
  }

  /**
   * An ffconcat list that Spool wrote: the files it names play one after another, their packets
   * copied as they are (the concat demuxer, with file names taken as written).
   */
  public static Input concatList(Path list) {
    return new Input(Objects.requireNonNull(list, "list"), null, null, null, false, null, null, false, "concat", null);
  }

  /**
   * Refuses an input that is not one whole file, local or remote, read as it is: what a probe
   * describes and a whole-file operation takes.
   */
  void checkWholeFile() {
    if ((path == null) == (remote == null) || format != null || seekSeconds != null || durationSeconds != null || gpuDecode) {
      throw new IllegalArgumentException("expected one whole file, read as it is: " + this);
    }
  }

  /** Reads only the first {@code seconds} of the input ({@code -t} before {@code -i}). */
  public Input limitedTo(double seconds) {
    return new Input(path, generator, seconds, seekSeconds, keyframeSeek, images, stdin, gpuDecode, format, remote);
  }

  /** Reads from {@code seconds} on ({@code -ss} before {@code -i}), the first frame at or after it first. */
  public Input from(double seconds) {
    return new Input(path, generator, durationSeconds, seconds, false, images, stdin, gpuDecode, format, remote);
  }

  /** Starts reading at the keyframe at or before {@code seconds}, dropping nothing decoded from there. */
  public Input startingNear(double seconds) {
    return new Input(path, generator, durationSeconds, seconds, true, images, stdin, gpuDecode, format, remote);
  }

  /** This file, decoded on the GPU with its frames kept in GPU memory. */
  public Input decodedOnGpu() {
    return new Input(path, generator, durationSeconds, seekSeconds, keyframeSeek, images, stdin, true, format, remote);
  }
}
