package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.testing.MediaFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import io.spool.engine.JobStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI as its own process, stopped by a signal in the middle of a transcode. */
class SignalTest {
  @TempDir Path dir;
  @TempDir Path home;
  @TempDir Path logs;

  @ParameterizedTest(name = "SIG{0}")
  @ValueSource(strings = {"INT", "TERM", "KILL"})
  void signalEndsFfmpegAndRemovesTemporaryOutput(String signal) throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 1280, 720, 20);
    Path out = dir.resolve("out.mp4");
    Path log = logs.resolve("cli.log");
    Process cli = CliProcess.start(home, log, "transcode", in.toString(), out.toString(), "--preset", "archive", "--quiet");
    List<Long> ffmpeg = CliProcess.awaitFfmpeg(dir.toString(), 1);
    assertThat(ffmpeg).as("ffmpeg started").hasSize(1);

    CliProcess.signal(cli, signal);

    assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).isNotZero();
    // SIGKILL runs no shutdown hook: the kernel ends ffmpeg (parent-death signal).
    ProcessHandle.of(ffmpeg.get(0)).ifPresent(h -> h.onExit().orTimeout(5, TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(ffmpeg.get(0))).isEmpty();
    assertThat(MediaFixtures.ffmpegProcessesMentioning(dir.toString())).isEmpty();
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertThat(names).doesNotContain("out.mp4");
      if (!signal.equals("KILL")) {
        assertThat(names).noneMatch(n -> n.endsWith(".partial"));
      }
    }
    // The job's record says what happened to it; nothing claims to be running. SIGKILL gives the
    // process no say: the next `spool jobs` finds its coordinator gone and closes the record.
    System.setProperty("spool.home", home.toString());
    JsonNode jobs = Json.MAPPER.readTree(Cli.run("jobs", "ls", "--json").out()).get("jobs");
    assertThat(jobs).hasSize(1);
    assertThat(jobs.get(0).get("state").asText()).isEqualTo("CANCELLED");
    assertThat(jobs.get(0).at("/outcome/error").asText())
        .contains(signal.equals("KILL") ? "abandoned" : "interrupted: Spool was stopped");
    if (!signal.equals("KILL")) {
      assertThat(cli.exitValue()).isEqualTo(ExitCodes.CANCELLED);
      assertThat(spoolLines(log)).containsExactly("spool: cancelled by " + (signal.equals("INT") ? "Ctrl-C" : "SIGTERM")
          + ": running jobs were ended and nothing was published [CANCELLED]");
    }
  }

  /** The lines Spool itself wrote (its logs and ffmpeg's are not among them). */
  private static List<String> spoolLines(Path log) throws Exception {
    return Files.readAllLines(log).stream().filter(l -> l.startsWith("spool:")).toList();
  }

  @Test
  void sigtermCancelsABatchWithOneLineAndExit130() throws Exception {
    Path in = dir.resolve("in");
    for (int i = 0; i < 3; i++) {
      MediaFixtures.sample(in, "clip" + i + ".mp4", 1280, 720, 20);
    }
    Path out = dir.resolve("out");
    Path log = logs.resolve("batch.log");
    Process cli = CliProcess.start(home, log, "batch", "transcode", in.toString(), "--out", out.toString(),
        "--preset", "archive", "--json");
    assertThat(CliProcess.awaitFfmpeg(in.toString(), 1)).isNotEmpty();

    CliProcess.signal(cli, "TERM");

    assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).isEqualTo(ExitCodes.CANCELLED);
    assertThat(spoolLines(log)).containsExactly(
        "spool: cancelled by SIGTERM: running jobs were ended and nothing was published [CANCELLED]");
    assertThat(Files.readString(log)).contains("\"code\" : \"CANCELLED\"").doesNotContain("\"batchId\"");
    assertThat(MediaFixtures.ffmpegProcessesMentioning(in.toString())).isEmpty();
    List<String> results = Files.readAllLines(out.resolve("spool-results.jsonl"));
    assertThat(results).hasSize(3).allSatisfy(line -> assertThat(line).contains("\"status\":\"cancelled\""));
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("spool-results.jsonl");
    }
  }

  @Test
  void aTranscodeIsCancelledFromAnotherProcessByItsJobId() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 1280, 720, 20);
    Path out = dir.resolve("out.mp4");
    Process cli = CliProcess.start(home, logs.resolve("cli.log"), "transcode", in.toString(), out.toString(),
        "--preset", "archive", "--json");
    assertThat(CliProcess.awaitFfmpeg(dir.toString(), 1)).hasSize(1);
    System.setProperty("spool.home", home.toString());
    JsonNode running = Json.MAPPER.readTree(Cli.run("jobs", "ls", "--state", "running", "--json").out()).get("jobs");
    assertThat(running).hasSize(1);
    String id = running.get(0).get("id").asText();

    assertThat(Cli.run("jobs", "cancel", id).exitCode()).isZero();

    assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).isEqualTo(ExitCodes.CANCELLED);
    assertThat(Files.readString(logs.resolve("cli.log"))).contains("[CANCELLED]");
    assertThat(MediaFixtures.ffmpegProcessesMentioning(dir.toString())).isEmpty();
    assertThat(Json.MAPPER.readTree(Cli.run("jobs", "show", id, "--json").out()).get("state").asText()).isEqualTo("CANCELLED");
    assertThat(out).doesNotExist();
    try (JobStore store = JobStore.at(home)) {
      assertThat(store.cancelRequests()).as("the request is done with").isEmpty();
    }
  }
}
