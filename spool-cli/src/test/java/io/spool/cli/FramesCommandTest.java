package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FramesCommandTest {
  private static final Pattern PSNR = Pattern.compile("average:(inf|[0-9.]+)");

  @TempDir static Path home;
  @TempDir Path dir;

  @BeforeAll
  static void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  @Test
  void overlaysTheFrameNumberAsAJobKeepingTheAudio() throws Exception {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2);
    Path out = dir.resolve("numbered.mp4");

    Cli.Result r = Cli.run("frames", "overlay", in.toString(), out.toString(), "--text", "{frame}", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.at("/result/frames").asLong()).isEqualTo(50);
    assertThat(j.at("/result/audio").asText()).isEqualTo("copied aac");
    assertThat(j.at("/cost/totalUsd").asDouble()).isPositive();
    assertThat(MediaFixtures.independentStreams(out)).extracting(s -> s.get("codec_name")).containsExactly("h264", "aac");
  }

  /** Text from the command line reaches ffmpeg as text: nothing in it can add to or change the filter graph. */
  @Test
  void textThatLooksLikeFilterGraphSyntaxIsDrawnLiterally() throws Exception {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2);
    Path out = dir.resolve("hostile.mp4");
    String hostile = "a'b:c;d[e]f,g\\h\n%{eif:1/0:d}=x ''\n[in]null[out];movie=/etc/passwd";

    Cli.Result r = Cli.run("frames", "overlay", in.toString(), out.toString(), "--text", hostile, "--font-size", "20",
        "--crf", "0", "--quiet");

    assertThat(r.exitCode()).as(r.err()).isZero();
    Path textFile = Files.writeString(dir.resolve("text.txt"), hostile);
    Path expected = dir.resolve("expected.png");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-i", in.toString(), "-vf", "select=eq(n\\,5),drawtext=textfile="
        + textFile + ":expansion=none:fontsize=20:fontcolor=white:box=1:boxcolor=black@0.5:boxborderw=5:x=6:y=h-th-6",
        "-frames:v", "1", expected.toString()));
    Path drawn = dir.resolve("drawn.png");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-i", out.toString(), "-vf", "select=eq(n\\,5)", "-frames:v", "1",
        drawn.toString()));
    assertThat(psnr(drawn, expected)).isGreaterThanOrEqualTo(50);
  }

  @Test
  void aFilterChainThatLeavesItsChainIsAUsageErrorAndAudioIsNoVideo() throws Exception {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 1);

    Cli.Result injected = Cli.run("frames", "overlay", in.toString(), dir.resolve("a.mp4").toString(), "--filter",
        "hflip[x];movie=/etc/passwd[y]");
    Cli.Result source = Cli.run("frames", "overlay", in.toString(), dir.resolve("b.mp4").toString(), "--filter",
        "movie=/etc/passwd");
    Cli.Result audio = Cli.run("frames", "overlay", MediaFixtures.media("jfk.wav").toString(), dir.resolve("c.mp4").toString(),
        "--text", "x");
    Cli.Result flipped = Cli.run("frames", "overlay", in.toString(), dir.resolve("d.webm").toString(), "--filter", "hflip",
        "--quiet");

    assertThat(injected.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(injected.errLines()).singleElement().asString().contains("is not allowed outside quotes");
    assertThat(source.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(source.errLines()).singleElement().asString().contains("filter movie cannot be used in --filter");
    assertThat(audio.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(audio.errLines()).containsExactly("spool: jfk.wav has no video track to draw on [INVALID_INPUT]");
    assertThat(flipped.exitCode()).as(flipped.err()).isZero();
    assertThat(MediaFixtures.independentStreams(dir.resolve("d.webm"))).extracting(s -> s.get("codec_name"))
        .containsExactly("vp9", "opus");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("clip.mp4", "d.webm");
    }
  }

  @Test
  void extractsFramesAsNumberedImages() throws Exception {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2);
    Path out = dir.resolve("frames");

    Cli.Result r = Cli.run("frames", "extract", in.toString(), "--fps", "1/2", "--out", out.toString(), "--format", "jpg",
        "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("frame-000001.jpg");
    }
    assertThat(Json.MAPPER.readTree(r.out()).at("/result/count").asInt()).isEqualTo(1);
    Cli.Result again = Cli.run("frames", "extract", in.toString(), "--fps", "2", "--out", out.toString(), "--format", "jpg");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.errLines()).singleElement().asString().contains("OUTPUT_EXISTS");
  }

  static double psnr(Path a, Path b) {
    try {
      Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-i", a.toString(), "-i", b.toString(),
          "-lavfi", "psnr", "-f", "null", "-").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(err).isZero();
      Matcher m = PSNR.matcher(err);
      assertThat(m.find()).as(err).isTrue();
      return m.group(1).equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
