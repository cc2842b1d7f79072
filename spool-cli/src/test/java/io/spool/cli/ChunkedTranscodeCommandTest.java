package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spool transcode IN OUT --chunked}: chunk jobs and a join, reported like one transcode. */
class ChunkedTranscodeCommandTest {
  @TempDir static Path home;
  @TempDir Path dir;
  @TempDir Path logs;

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
  void aChunkedTranscodeDoesNotClaimToMeasureItsQuality() {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 2);

    Cli.Result r = Cli.run("transcode", in.toString(), dir.resolve("out.mp4").toString(), "--chunked", "--measure-quality");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--measure-quality does not go with --chunked");
    assertThat(dir.resolve("out.mp4")).doesNotExist();
  }

  @Test
  void aPresetWhoseChunksCannotBeJoinedIsAUsageError() {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 2);

    Cli.Result r = Cli.run("transcode", in.toString(), dir.resolve("out.webm").toString(), "--chunked", "--preset", "vp9");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("cannot be chunked");
  }

  @Test
  void ctrlCEndsTheFfmpegOfEveryChunkAndPublishesNothing() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 1280, 720, 8);
    Path out = dir.resolve("out.mp4");
    Path log = logs.resolve("cli.log");
    Process cli = CliProcess.start(home, log, "transcode", in.toString(), out.toString(), "--chunked", "--chunk-seconds", "2",
        "--preset", "archive", "--quiet");
    List<Long> chunks = Eventually.await(Duration.ofSeconds(30), "two chunks encoding at once",
        () -> MediaFixtures.ffmpegProcessesMentioning(dir.toString()).stream().filter(pid -> mentions(pid, "-v000")).toList(),
        pids -> pids.size() >= 2);

    CliProcess.signal(cli, "INT");

    assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).as(Files.readString(log)).isEqualTo(ExitCodes.CANCELLED);
    for (long pid : chunks) {
      ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(5, TimeUnit.SECONDS).join());
    }
    assertThat(MediaFixtures.ffmpegProcessesMentioning(dir.toString())).isEmpty();
    assertThat(out).doesNotExist();
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
    assertThat(Files.readAllLines(log)).filteredOn(l -> l.startsWith("spool:"))
        .containsExactly("spool: cancelled by Ctrl-C: running jobs were ended and nothing was published [CANCELLED]");
  }

  @Test
  void anUnreadableInputFailsWithItsReasonAndLeavesNothingBesideTheOutput() throws Exception {
    Path in = Files.writeString(dir.resolve("in.mp4"), "not a video");
    Path out = dir.resolve("out.mp4");

    Cli.Result r = Cli.run("transcode", in.toString(), out.toString(), "--chunked", "--quiet");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("in.mp4 is not readable media");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("in.mp4");
    }
  }

  private static boolean mentions(long pid, String text) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().arguments()).map(a -> String.join(" ", a).contains(text))
        .orElse(false);
  }
}
