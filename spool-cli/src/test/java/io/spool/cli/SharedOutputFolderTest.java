package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.engine.JobRecord;
import io.spool.engine.JobStore;
import io.spool.engine.ResultsManifest;
import io.spool.media.testing.MediaFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Separate spool processes on one host, sharing the Spool home and one output folder, leave
 * each other's results, temporary files and outputs alone.
 */
class SharedOutputFolderTest {
  @TempDir Path home;
  @TempDir Path dir;
  @TempDir Path logs;
  private final Map<String, Process> processes = new LinkedHashMap<>();

  @AfterEach
  void endProcesses() {
    processes.values().forEach(Process::destroyForcibly);
  }

  private void start(String name, String... args) throws Exception {
    processes.put(name, CliProcess.start(home, logs.resolve(name + ".log"), args));
  }

  @Test
  void twoBatchesAndAResumeAtOnceLeaveEveryOutputWholeAndEveryRecordTrue() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      inputs.add(MediaFixtures.sample(a, "alpha" + i + ".mp4", 640, 360, 2));
      inputs.add(MediaFixtures.sample(b, "beta" + i + ".mp4", 640, 360, 2));
    }
    Path out = dir.resolve("out");

    // Each starts once the one before is transcoding, so that all three run at once; the first
    // two make one output at a time, so that they still run when the resume cleans the folder.
    start("first", "batch", "transcode", a.toString(), "--out", out.toString(), "--preset", "archive",
        "--concurrency", "1", "--quiet");
    CliProcess.awaitFfmpeg(a.toString(), 1);
    start("second", "batch", "transcode", b.toString(), "--out", out.toString(), "--preset", "archive",
        "--concurrency", "1", "--quiet");
    CliProcess.awaitFfmpeg(b.toString(), 1);
    assertThat(processes.values()).as("the batches still run").allMatch(Process::isAlive);
    start("resume", "batch", "transcode", a.toString(), b.toString(), "--out", out.toString(), "--preset", "archive",
        "--resume", "--quiet");
    for (Map.Entry<String, Process> p : processes.entrySet()) {
      assertThat(p.getValue().waitFor(180, TimeUnit.SECONDS)).as(p.getKey() + " ends").isTrue();
      // An item that another process published first fails with OUTPUT_EXISTS: exit 1.
      assertThat(p.getValue().exitValue()).as(log(p.getKey())).isIn(ExitCodes.OK, ExitCodes.FAILED);
    }

    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
    Path results = out.resolve("spool-results.jsonl");
    List<String> raw = Files.readAllLines(results, StandardCharsets.UTF_8);
    assertThat(raw).as("lines that are not whole results lines").allMatch(SharedOutputFolderTest::wholeLine);
    List<ResultsManifest.Line> lines = ResultsManifest.read(results);
    assertThat(lines).hasSameSizeAs(raw);
    assertThat(lines).filteredOn(l -> !l.succeeded() && !"OUTPUT_EXISTS".equals(l.errorCode()))
        .extracting(l -> l.input() + ": " + l.error()).as("failures other than another process publishing first")
        .isEmpty();
    assertThat(lines).filteredOn(l -> l.attempts() != 1).extracting(l -> l.input() + ": " + l.attempts() + " attempts")
        .as("items retried because another process destroyed an attempt's work").isEmpty();
    Map<String, ResultsManifest.Line> latest = ResultsManifest.latestByInput(results);
    assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(inputs.stream().map(Path::toString).toList());
    for (Path input : inputs) {
      ResultsManifest.Line l = latest.get(input.toString());
      Path output = Path.of(l.output());
      assertThat(output.getParent()).isEqualTo(out);
      // Made by this item's line, or, where it says OUTPUT_EXISTS, by the process that came first.
      assertThat(MediaFixtures.independentDuration(output)).as(output.toString()).isBetween(1.9, 2.1);
      assertThat(lines).as("a line that made " + output)
          .anyMatch(x -> x.input().equals(input.toString()) && x.succeeded());
    }

    List<JobRecord> jobs = JobStore.at(home).jobs((io.spool.engine.JobState) null);
    assertThat(jobs).hasSizeGreaterThanOrEqualTo(inputs.size());
    assertThat(jobs).allSatisfy(j -> assertThat(j.state().terminal()).as(j.id() + " " + j.state()).isTrue());
  }

  private static boolean wholeLine(String line) {
    try {
      return !Json.MAPPER.readTree(line).path("input").asText().isEmpty();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }

  private String log(String name) {
    try {
      return name + ": " + Files.readString(logs.resolve(name + ".log"));
    } catch (java.io.IOException e) {
      return name + ": no log (" + e + ")";
    }
  }
}
