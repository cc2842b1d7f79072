package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.ResultsManifest;
import io.spool.media.testing.LoudnessMeter;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchJobsCommandTest {
  @TempDir Path home;
  @TempDir Path dir;

  @BeforeEach
  void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  private static Path tone(Path folder, String name, int hz, double gainDb) throws Exception {
    Files.createDirectories(folder);
    Path f = folder.resolve(name);
    MediaFixtures.run(List.of(MediaFixtures.tools().ffmpeg().toString(), "-v", "error", "-f", "lavfi",
        "-i", "sine=frequency=" + hz + ":duration=2", "-af", "volume=" + gainDb + "dB", f.toString()));
    return f;
  }

  @Test
  void audioNormalizeBatchBringsEachInputToTheTargetAndFailsOnlyTheBadOne() throws Exception {
    Path in = dir.resolve("in");
    tone(in, "quiet.wav", 440, -30);
    tone(in, "loud.wav", 880, -3);
    Files.writeString(in.resolve("bad.wav"), "not audio");
    Path out = dir.resolve("out");

    Cli.Result r = Cli.run("batch", "audio-normalize", in.toString(), "--out", out.toString(), "--target-i", "-20",
        "--json");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED);
    for (String name : List.of("quiet.wav", "loud.wav")) {
      assertThat(LoudnessMeter.measure(out.resolve(name)).integrated()).as(name).isCloseTo(-20, within(1.0));
    }
    assertThat(out.resolve("bad.wav")).doesNotExist();
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.get("total").asInt()).isEqualTo(3);
    assertThat(j.get("succeeded").asInt()).isEqualTo(2);
    assertThat(j.get("failed").asInt()).isEqualTo(1);
    assertThat(j.get("batchId").asText()).isNotBlank();
    assertThat(j.get("items")).hasSize(3);
    assertThat(Path.of(j.get("results").asText())).isEqualTo(out.resolve("spool-results.jsonl"));
    Map<String, ResultsManifest.Line> lines = ResultsManifest.latestByInput(out.resolve("spool-results.jsonl"));
    assertThat(lines.get(in.resolve("bad.wav").toString()).status()).isEqualTo("failed");
    assertThat(lines.get(in.resolve("quiet.wav").toString()).status()).isEqualTo("succeeded");
  }

  @Test
  void audioExtractBatchNamesEachOutputAfterItsInput() throws Exception {
    Path in = dir.resolve("in");
    tone(in, "a.wav", 440, -10);
    tone(in, "b.wav", 660, -10);
    Path out = dir.resolve("out");

    Cli.Result r = Cli.run("batch", "audio-extract", in.toString(), "--out", out.toString(), "--ext", "mp3", "--quiet");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(out.resolve("a.mp3")).isNotEmptyFile();
    assertThat(out.resolve("b.mp3")).isNotEmptyFile();
  }

  @Test
  void thumbnailsBatchMakesAFolderPerInput() throws Exception {
    Path in = dir.resolve("in");
    MediaFixtures.sample(in, "a.mp4", 320, 240, 2);
    MediaFixtures.sample(in, "b.mov", 320, 240, 2);
    Path out = dir.resolve("out");

    Cli.Result r = Cli.run("batch", "thumbnails", in.toString(), "--out", out.toString(), "--count", "2", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(Json.MAPPER.readTree(r.out()).get("succeeded").asInt()).isEqualTo(2);
    for (String name : List.of("a", "b")) {
      try (var files = Files.list(out.resolve(name))) {
        assertThat(files.filter(f -> f.toString().endsWith(".jpg")).count()).as(name).isGreaterThanOrEqualTo(2);
      }
    }
  }

  @Test
  void hlsBatchMakesALadderPerInput() throws Exception {
    Path in = dir.resolve("in");
    MediaFixtures.sample(in, "a.mp4", 320, 240, 2);
    MediaFixtures.sample(in, "b.mp4", 320, 240, 2);
    Path out = dir.resolve("out");

    Cli.Result r = Cli.run("batch", "hls", in.toString(), "--out", out.toString(), "--ladder", "240",
        "--segment-seconds", "1", "--quiet");

    assertThat(r.exitCode()).as(r.err()).isZero();
    for (String name : List.of("a", "b")) {
      try (var files = Files.walk(out.resolve(name))) {
        assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".m3u8")).count())
            .as(name).isGreaterThanOrEqualTo(2);
      }
    }
  }

  @Test
  void batchHelpListsEveryOperation() {
    Cli.Result r = Cli.run("batch", "--help");

    assertThat(r.out()).contains("audio-extract", "audio-normalize", "thumbnails", "hls");
  }
}
