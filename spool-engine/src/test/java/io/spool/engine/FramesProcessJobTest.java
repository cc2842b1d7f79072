package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.frames.FrameProcessor;
import io.spool.media.frames.VideoFrame;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FramesProcessJobTest {
  @TempDir Path home;
  @TempDir Path dir;
  private SpoolEngine engine;

  /** Turns every pixel into its negative. */
  static final class Invert implements FrameProcessor {
    @Override
    public void process(VideoFrame frame) {
      byte[] rgb = frame.rgb();
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = (byte) ~rgb[i];
      }
    }
  }

  @BeforeEach
  void start() {
    engine = SpoolEngine.embedded(EngineConfig.newBuilder(home).cpuCores(2)
        .jobType(FramesProcessJob.of(Map.of("invert", Invert::new))).build());
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  @Test
  void aRegisteredProcessorRunsAsAJobAndItsFramesAreEncoded() {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 2);
    Path out = dir.resolve("out.mp4");

    JobOutcome o = engine.remote(FramesProcessJob.spec(in.toString(), out.toString(), "invert", null, Resources.DEFAULT, false));

    assertThat(o.state()).as(o.error()).isEqualTo(JobState.SUCCEEDED);
    assertThat(o.details()).containsEntry("frames", "50").containsEntry("processor", "invert").containsEntry("audio", "copied aac");
    assertThat(o.metrics().cpuSeconds()).isPositive();
    // The output's middle (an 8x8 block's mean) is the negative of the input's, as ffmpeg decodes both.
    int[] before = pixel(in, 25);
    int[] after = pixel(out, 25);
    for (int c = 0; c < 3; c++) {
      assertThat(after[c]).as("channel %d of %s against %s", c, java.util.Arrays.toString(after),
          java.util.Arrays.toString(before)).isCloseTo(255 - before[c], org.assertj.core.api.Assertions.within(12));
    }
  }

  @Test
  void aProcessorTheWorkerDoesNotHaveFailsWithoutRetry() {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 1);

    JobOutcome o = engine.remote(FramesProcessJob.spec(in.toString(), dir.resolve("x.mp4").toString(), "blur", null,
        Resources.DEFAULT, false));

    assertThat(o.state()).isEqualTo(JobState.FAILED);
    assertThat(o.errorCode()).isEqualTo("BAD_ARGUMENT");
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.error()).isEqualTo("no frame processor named 'blur' on this worker; it has invert");
  }

  /** The mean RGB of an 8x8 block in the middle of frame {@code n}, decoded by plain ffmpeg. */
  private static int[] pixel(Path video, int n) {
    try {
      Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", video.toString(), "-vf",
          "select=eq(n\\," + n + "),crop=8:8:156:116,scale=1:1:flags=area", "-frames:v", "1", "-f", "rawvideo",
          "-pix_fmt", "rgb24", "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] b = p.getInputStream().readAllBytes();
      assertThat(p.waitFor()).isZero();
      assertThat(b).hasSize(3);
      return new int[] {b[0] & 0xff, b[1] & 0xff, b[2] & 0xff};
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
