package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityCommandTest {
  @TempDir static Path home;
  @TempDir Path dir;

  @BeforeAll
  static void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  private JsonNode json(Cli.Result r) throws Exception {
    assertThat(r.exitCode()).as(r.err()).isZero();
    return Json.MAPPER.readTree(r.out());
  }

  @Test
  void aTranscodeAtCrf18MeasuresBetterThanOneAtCrf35() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 2);

    JsonNode good = json(Cli.run("transcode", in.toString(), dir.resolve("crf18.mp4").toString(), "--crf", "18",
        "--measure-quality", "--json"));
    JsonNode poor = json(Cli.run("transcode", in.toString(), dir.resolve("crf35.mp4").toString(), "--crf", "35",
        "--measure-quality", "--json"));

    assertThat(good.at("/result/quality/psnr/mean").asDouble()).isGreaterThan(poor.at("/result/quality/psnr/mean").asDouble() + 3);
    assertThat(good.at("/result/quality/ssim/mean").asDouble()).isGreaterThan(poor.at("/result/quality/ssim/mean").asDouble());
    assertThat(good.at("/result/quality/psnr/worst").asDouble()).isGreaterThan(poor.at("/result/quality/psnr/worst").asDouble());
    assertThat(good.at("/result/quality/ssim/worst").asDouble()).isGreaterThan(poor.at("/result/quality/ssim/worst").asDouble());
    assertThat(good.at("/result/quality/frames").asInt()).isEqualTo(50);
    assertThat(good.at("/result/quality/size").asText()).isEqualTo("320x240");

    // spool quality gives the same scores for the same pair, as a job of its own with its cost.
    JsonNode measured = json(Cli.run("quality", in.toString(), dir.resolve("crf18.mp4").toString(), "--json"));
    assertThat(measured.at("/result/psnr/mean").asDouble()).isEqualTo(good.at("/result/quality/psnr/mean").asDouble());
    assertThat(measured.at("/result/ssim/worstFrame").asInt()).isEqualTo(good.at("/result/quality/ssim/worstFrame").asInt());
    assertThat(measured.at("/cost/totalUsd").asDouble()).isPositive();
    assertThat(measured.at("/result/metrics/userSeconds").asDouble()).isPositive();
  }

  @Test
  void identicalFilesMeasureInfinitePsnrAndSsimOfOne() throws Exception {
    Path a = MediaFixtures.sample(dir, "a.mp4", 320, 240, 1);
    Path b = Files.copy(a, dir.resolve("b.mp4"));

    JsonNode j = json(Cli.run("quality", a.toString(), b.toString(), "--json"));
    assertThat(j.at("/result/psnr/mean").asText()).isEqualTo("Infinity");
    assertThat(j.at("/result/psnr/worst").asText()).isEqualTo("Infinity");
    assertThat(j.at("/result/ssim/mean").asDouble()).isEqualTo(1.0);
    assertThat(j.at("/result/ssim/worst").asDouble()).isEqualTo(1.0);

    Cli.Result human = Cli.run("quality", a.toString(), b.toString());
    assertThat(human.exitCode()).as(human.err()).isZero();
    assertThat(human.out()).contains("PSNR      inf dB mean, inf dB worst", "SSIM      1.0000 mean, 1.0000 worst", "cost");
  }

  @Test
  void aFileWithoutVideoIsInvalidInput() {
    Path a = MediaFixtures.sample(dir, "a.mp4", 320, 240, 1);

    Cli.Result r = Cli.run("quality", a.toString(), MediaFixtures.media("jfk.wav").toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.errLines()).containsExactly("spool: jfk.wav has no video track to measure [INVALID_INPUT]");
  }
}
