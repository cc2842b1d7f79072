package io.spool.media;

import io.spool.media.internal.AtomicOutput;
import java.nio.file.Path;

/**
 * Generates sample clips with ffmpeg's own test sources (a moving test pattern with a timer, and
 * a tone), for the demo, benchmarks and tests. No input file needed.
 */
public final class SampleMedia {
  private SampleMedia() {}

  /**
   * Writes an H.264/AAC MP4 of the given size, frame rate and length.
   *
   * @return metrics of the generating run
   */
  public static Metrics write(Toolchain tools, Path target, int width, int height, int fps, double seconds) {
    if (width < 16 || height < 16 || fps < 1 || seconds <= 0) {
      throw new BadArgumentException("sample must be at least 16x16, 1 fps and longer than 0 s");
    }
    Input video = Input.generated(Filter.of("testsrc2").with("size", width + "x" + height).with("rate", fps))
        .limitedTo(seconds);
    Input audio = Input.generated(Filter.of("sine").with("frequency", 440).with("sample_rate", 48000))
        .limitedTo(seconds);
    try (AtomicOutput out = AtomicOutput.beside(target)) {
      FFmpegCommand command = FFmpegCommand.newBuilder().input(video).input(audio)
          .output(Output.newBuilder(out.temporary()).format("mp4").fastStart(true)
              .video(VideoEncoding.newBuilder().codec("libx264").preset("veryfast").crf(23)
                  .pixelFormat("yuv420p").option("g", String.valueOf(fps * 2)).build())
              .audio(AudioEncoding.of("aac", 128))
              .build())
          .build();
      RunResult r = FFmpegRunner.using(tools).run(command, RunOptions.DEFAULT.withExpectedDuration(seconds));
      out.publish();
      return r.metrics();
    }
  }
}
