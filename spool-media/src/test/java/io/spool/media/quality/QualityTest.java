package io.spool.media.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.ErrorCode;
import io.spool.media.ProgressListener;
import io.spool.media.SpoolException;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityTest {
  @TempDir Path dir;

  private QualityReport measure(Path reference, Path distorted) {
    return Quality.using(MediaFixtures.tools()).measure(reference, distorted, dir.resolve("scratch"), 2, null,
        ProgressListener.NONE);
  }

  private Path encode(Path source, String name, String... videoArgs) {
    Path out = dir.resolve(name);
    List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error", "-nostdin", "-y", "-i", source.toString()));
    cmd.addAll(List.of(videoArgs));
    cmd.add(out.toString());
    MediaFixtures.run(cmd);
    return out;
  }

  @Test
  void aBetterEncodeMeasuresHigherPsnrAndSsim() {
    Path source = MediaFixtures.sample(dir, "source.mp4", 320, 240, 2);
    Path good = encode(source, "crf18.mp4", "-c:v", "libx264", "-crf", "18");
    Path poor = encode(source, "crf35.mp4", "-c:v", "libx264", "-crf", "35");

    QualityReport g = measure(source, good);
    QualityReport p = measure(source, poor);

    assertThat(g.psnrMean()).isGreaterThan(p.psnrMean() + 3);
    assertThat(g.ssimMean()).isGreaterThan(p.ssimMean());
    assertThat(g.psnrWorst()).isLessThanOrEqualTo(g.psnrMean() + 0.5).isGreaterThan(p.psnrWorst());
    assertThat(g.ssimWorst()).isLessThanOrEqualTo(g.ssimMean()).isGreaterThan(p.ssimWorst());
    assertThat(g.frames()).isEqualTo(50);
    assertThat(g.width()).isEqualTo(320);
    assertThat(g.height()).isEqualTo(240);
    assertThat(g.metrics().cpuSeconds()).isPositive();
  }

  @Test
  void identicalFilesMeasureInfinitePsnrAndSsimOne() {
    Path source = MediaFixtures.sample(dir, "source.mp4", 320, 240, 1);

    QualityReport r = measure(source, source);

    assertThat(r.psnrMean()).isInfinite();
    assertThat(r.psnrWorst()).isInfinite();
    assertThat(r.ssimMean()).isEqualTo(1.0);
    assertThat(r.ssimWorst()).isEqualTo(1.0);
    assertThat(r.frames()).isEqualTo(25);
  }

  @Test
  void aSmallerCopyIsScaledToTheReferencesSizeAndAgreesWithFfmpegsOwnSummary() {
    Path source = MediaFixtures.sample(dir, "source.mp4", 320, 240, 1);
    Path small = encode(source, "small.mp4", "-vf", "scale=160:120", "-c:v", "libx264", "-crf", "20");

    QualityReport r = measure(source, small);

    assertThat(r.width()).isEqualTo(320);
    assertThat(r.frames()).isEqualTo(25);
    // ffmpeg's own summary of the same comparison, run by hand.
    String log = runForStderr(List.of("ffmpeg", "-hide_banner", "-nostdin", "-i", small.toString(), "-i", source.toString(),
        "-filter_complex", "[0:v]setpts=PTS-STARTPTS,scale=w=320:h=240:flags=bicubic,setsar=1,format=yuv420p[d];"
            + "[1:v]setpts=PTS-STARTPTS,setsar=1,format=yuv420p[r];[d][r]psnr=shortest=1", "-f", "null", "-"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("average:([0-9.]+) min:([0-9.]+)").matcher(log);
    assertThat(m.find()).as(log).isTrue();
    assertThat(r.psnrMean()).isCloseTo(Double.parseDouble(m.group(1)), within(0.01));
    assertThat(r.psnrWorst()).isCloseTo(Double.parseDouble(m.group(2)), within(0.01));
  }

  @Test
  void aFileWithoutVideoIsInvalidInput() {
    Path source = MediaFixtures.sample(dir, "source.mp4", 320, 240, 1);
    assertThatThrownBy(() -> measure(source, MediaFixtures.media("jfk.wav")))
        .isInstanceOf(SpoolException.class).hasMessageContaining("jfk.wav has no video track")
        .extracting(e -> ((SpoolException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT);
  }

  private static String runForStderr(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(err).isZero();
      return err;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
