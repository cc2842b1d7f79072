package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.MediaFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailsCommandTest {
  @TempDir static Path home;
  @TempDir Path dir;

  @BeforeAll
  static void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  private List<String> names(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void makesThumbnailsAPosterASpriteAndATrackAsAJob() throws Exception {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 4);
    Path out = dir.resolve("thumbs");

    Cli.Result r = Cli.run("thumbnails", in.toString(), "--out", out.toString(), "--at", "0.5,1.5,0:02.5",
        "--sprite", "--width", "160", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(names(out)).containsExactly("poster.jpg", "sprite.jpg", "thumb-0001.jpg", "thumb-0002.jpg",
        "thumb-0003.jpg", "thumbnails.vtt");
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.at("/result/thumbnails/2/time").asDouble()).isEqualTo(2.5);
    assertThat(j.at("/result/thumbnails/2/file").asText()).isEqualTo(out.resolve("thumb-0003.jpg").toString());
    assertThat(j.at("/result/sprite/columns").asInt()).isEqualTo(3);
    assertThat(j.at("/result/size").asText()).isEqualTo("160x120");
    assertThat(j.at("/result/method").asText()).isIn("seek", "scan");
    assertThat(j.at("/result/poster/file").asText()).isEqualTo(out.resolve("poster.jpg").toString());
    assertThat(j.at("/cost/totalUsd").asDouble()).isPositive();
    assertThat(Files.readString(out.resolve("thumbnails.vtt"), StandardCharsets.UTF_8))
        .contains("00:00:00.500 --> 00:00:01.500\nsprite.jpg#xywh=0,0,160,120");

    // Run again: every file is there already, and none is touched without --overwrite.
    Files.writeString(out.resolve("thumb-0002.jpg"), "mine");
    Cli.Result again = Cli.run("thumbnails", in.toString(), "--out", out.toString(), "--count", "3");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.errLines()).singleElement().asString().contains("OUTPUT_EXISTS");
    assertThat(Files.readString(out.resolve("thumb-0002.jpg"))).isEqualTo("mine");

    Cli.Result replaced = Cli.run("thumbnails", in.toString(), "--out", out.toString(), "--count", "3", "--overwrite", "--quiet");
    assertThat(replaced.exitCode()).as(replaced.err()).isZero();
    assertThat(Files.size(out.resolve("thumb-0002.jpg"))).isGreaterThan(100);
    assertThat(replaced.out()).contains("3 thumbnails", "poster");
  }

  @Test
  void anInputWithoutVideoIsInvalidAndATimePastTheEndIsAUsageError() {
    Cli.Result audio = Cli.run("thumbnails", MediaFixtures.media("jfk.wav").toString(), "--out", dir.resolve("a").toString());
    assertThat(audio.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(audio.errLines()).containsExactly("spool: jfk.wav has no video track to take thumbnails from [INVALID_INPUT]");

    Path in = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2);
    Cli.Result late = Cli.run("thumbnails", in.toString(), "--out", dir.resolve("b").toString(), "--at", "1,30");
    assertThat(late.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(late.errLines()).containsExactly("spool: thumbnail time 30 s is past the end of clip.mp4 (2.00 s) [BAD_ARGUMENT]");
    assertThat(dir.resolve("b")).doesNotExist();
  }
}
