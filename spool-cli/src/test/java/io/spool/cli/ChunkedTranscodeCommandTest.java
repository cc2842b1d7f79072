package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spool transcode IN OUT --chunked}: chunk jobs and a join, reported like one transcode. */
class ChunkedTranscodeCommandTest {
  @TempDir static Path home;
  @TempDir Path dir;

  @BeforeAll
  static void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  @Test
  void aChunkedTranscodeReportsItsChunksCostAndJoinJob() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 8);
    Path out = dir.resolve("out.mp4");

    Cli.Result r = Cli.run("transcode", in.toString(), out.toString(), "--chunked", "--chunk-seconds", "2", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(r.out());
    assertThat(json.at("/result/output").asText()).isEqualTo(out.toString());
    assertThat(json.at("/result/streams").asText()).isEqualTo("h264/aac");
    assertThat(json.at("/result/chunks").asInt()).isGreaterThanOrEqualTo(3);
    assertThat(json.at("/result/reusedChunks").asInt()).isZero();
    assertThat(json.at("/result/durationSeconds").asDouble()).isBetween(7.9, 8.1);
    assertThat(json.at("/cost/totalUsd").asDouble()).isPositive();
    assertThat(MediaFixtures.run(List.of("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
        "-show_entries", "stream=nb_read_frames", "-of", "default=nw=1:nk=1", out.toString())).strip()).isEqualTo("200");

    Cli.Result show = Cli.run("jobs", "show", json.at("/job").asText(), "--json");
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(Json.MAPPER.readTree(show.out()).at("/type").asText()).isEqualTo("transcode-join");
  }

  @Test
  void resumeAndChunkSecondsGoWithChunked() {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 2);

    Cli.Result r = Cli.run("transcode", in.toString(), dir.resolve("out.mp4").toString(), "--resume");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--resume goes with --chunked");
  }

  @Test
  void aPresetWhoseChunksCannotBeJoinedIsAUsageError() {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 2);

    Cli.Result r = Cli.run("transcode", in.toString(), dir.resolve("out.webm").toString(), "--chunked", "--preset", "vp9");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("cannot be chunked");
  }
}
