package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.ResultsManifest;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchCommandTest {
  @TempDir Path home;
  @TempDir Path dir;
  @TempDir Path logs;

  @BeforeEach
  void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  private List<String> names(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void batchOfFolderWithOneBadFileReportsEachAndExitsOne() throws Exception {
    Path in = dir.resolve("in");
    MediaFixtures.sample(in, "a.mp4", 320, 240, 2);
    MediaFixtures.sample(in, "b.mov", 320, 240, 2);
    Files.writeString(in.resolve("c.mp4"), "not a video");
    Path out = dir.resolve("out");

    Cli.Result r = Cli.run("batch", "transcode", in.toString(), "--out", out.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED);
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.get("succeeded").asInt()).isEqualTo(2);
    assertThat(j.get("failed").asInt()).isEqualTo(1);
    assertThat(j.get("costUsd").asDouble()).isPositive();
    assertThat(names(out)).containsExactly("a.web.mp4", "b.web.mp4", "spool-results.jsonl");
    Map<String, ResultsManifest.Line> lines = ResultsManifest.latestByInput(out.resolve("spool-results.jsonl"));
    ResultsManifest.Line bad = lines.get(in.resolve("c.mp4").toString());
    assertThat(bad.status()).isEqualTo("failed");
    assertThat(bad.errorCode()).isEqualTo("INVALID_INPUT");
    assertThat(bad.attempts()).isEqualTo(1);
    assertThat(lines.get(in.resolve("a.mp4").toString()).metrics().cpuSeconds()).isPositive();
  }

  @Test
  void theLongestInputStartsFirstAndGetsTheCoresTheShortOnesLeave() throws Exception {
    Path in = dir.resolve("in");
    MediaFixtures.sample(in, "a-short.mp4", 320, 240, 1);
    MediaFixtures.sample(in, "b-short.mp4", 320, 240, 1);
    MediaFixtures.sample(in, "c-long.mp4", 320, 240, 6);

    Cli.Result r = Cli.run("batch", "transcode", in.toString(), "--out", dir.resolve("out").toString(), "--quiet");

    assertThat(r.exitCode()).as(r.err()).isZero();
    Map<String, JsonNode> byInput = new java.util.HashMap<>();
    Json.MAPPER.readTree(Cli.run("jobs", "ls", "--json").out()).get("jobs").forEach(j -> byInput.put(
        Path.of(j.get("input").asText()).getFileName().toString(), j));
    JsonNode longest = byInput.get("c-long.mp4");
    assertThat(longest.get("index").asInt()).as("handed out first").isZero();
    assertThat(byInput.get("a-short.mp4").get("index").asInt()).isEqualTo(1);
    int cores = Runtime.getRuntime().availableProcessors();
    if (cores >= 2) {
      // One core each, it would run on alone for most of the batch.
      assertThat(longest.get("resources").get("cpu").asInt()).isBetween(2, cores);
    }
  }

  @Test
  void aBadInputReferenceFailsItsOwnItemNotTheBatch() throws Exception {
    Path good = MediaFixtures.sample(dir, "good.mp4", 320, 240, 1);
    assertThat(Cli.run("volume", "create", "media").exitCode()).isZero();
    Path csv = Files.writeString(dir.resolve("jobs.csv"), "input\n" + good + "\nmedia:../escape.mp4\n");

    Cli.Result r = Cli.run("batch", "transcode", "--manifest", csv.toString(), "--out", dir.resolve("out").toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED);
    Map<String, ResultsManifest.Line> lines = ResultsManifest.latestByInput(dir.resolve("out/spool-results.jsonl"));
    assertThat(lines.get(good.toString()).status()).isEqualTo("succeeded");
    assertThat(lines.get("media:../escape.mp4").errorCode()).isEqualTo("BAD_ARGUMENT");
  }

  @Test
  void manifestGivesPerItemOptions() throws Exception {
    Path a = MediaFixtures.sample(dir, "a.mp4", 640, 480, 2);
    Path b = MediaFixtures.sample(dir, "b.mp4", 640, 480, 2);
    Path csv = Files.writeString(dir.resolve("jobs.csv"),
        "input,output,preset,height\n" + a + ",small-a.mp4,preview,120\n" + b + ",,,240\n");
    Path out = dir.resolve("out");

    Cli.Result r = Cli.run("batch", "transcode", "--manifest", csv.toString(), "--out", out.toString(), "--quiet");

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(MediaFixtures.independentStreams(out.resolve("small-a.mp4")).get(0).get("height")).isEqualTo("120");
    assertThat(MediaFixtures.independentStreams(out.resolve("b.web.mp4")).get(0).get("height")).isEqualTo("240");

    Path jsonl = Files.writeString(dir.resolve("jobs.jsonl"), "{\"input\":\"" + a + "\",\"preset\":\"vp9\",\"height\":120}\n");
    Cli.Result r2 = Cli.run("batch", "transcode", "--manifest", jsonl.toString(), "--out", dir.resolve("out2").toString());
    assertThat(r2.exitCode()).as(r2.out() + r2.err()).isZero();
    assertThat(dir.resolve("out2/a.vp9.webm")).exists();
  }

  @Test
  void volumesHoldInputsAndOutputs() throws Exception {
    Path clip = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2);
    assertThat(Cli.run("volume", "create", "media").exitCode()).isZero();
    assertThat(Cli.run("volume", "put", clip.toString(), "media:raw/").exitCode()).isZero();

    Cli.Result r = Cli.run("batch", "transcode", "media:raw", "--out", "media:web", "--quiet");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    JsonNode job = Json.MAPPER.readTree(Cli.run("jobs", "ls", "--json").out()).get("jobs").get(0);
    assertThat(job.at("/resources/cpu").asInt()).as("one input gets all the cores")
        .isEqualTo(Runtime.getRuntime().availableProcessors());

    Cli.Result ls = Cli.run("volume", "ls", "media", "--json");
    assertThat(Json.MAPPER.readTree(ls.out()).findValuesAsText("path")).containsExactly("raw/clip.mp4", "web/clip.web.mp4");
    Path back = dir.resolve("back.mp4");
    assertThat(Cli.run("volume", "get", "media:web/clip.web.mp4", back.toString()).exitCode()).isZero();
    assertThat(MediaFixtures.independentStreams(back)).extracting(m -> m.get("codec_name")).containsExactly("h264", "aac");
    assertThat(Cli.run("volume", "rm", "media").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run("volume", "rm", "media:raw/clip.mp4").exitCode()).isZero();
    assertThat(Cli.run("volume", "put", clip.toString(), "media:../escape.mp4").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run("volume", "rm", "media", "--force").exitCode()).isZero();
  }

  @Test
  void killMinusNineThenResumeCompletesWithoutDuplicates() throws Exception {
    Path in = dir.resolve("in");
    for (int i = 0; i < 6; i++) {
      MediaFixtures.sample(in, "clip" + i + ".mp4", 640, 360, 6);
    }
    Path out = dir.resolve("out");
    Process first = CliProcess.start(home, logs.resolve("first.log"), "batch", "transcode", in.toString(),
        "--out", out.toString(), "--preset", "archive", "--quiet");
    Path results = out.resolve("spool-results.jsonl");
    Eventually.await(Duration.ofSeconds(30), "a first result line or the end of the batch",
        () -> !ResultsManifest.read(results).isEmpty() || !first.isAlive());
    assertThat(ResultsManifest.read(results)).as(Files.readString(logs.resolve("first.log"))).isNotEmpty();
    CliProcess.awaitFfmpeg(in.toString(), 1);
    CliProcess.signal(first, "KILL");
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    int doneBefore = (int) ResultsManifest.read(results).stream().filter(ResultsManifest.Line::succeeded).count();
    assertThat(doneBefore).isBetween(1, 5);
    // The kernel ends ffmpeg once its parent is gone (parent-death signal).
    Eventually.await(Duration.ofSeconds(10), "the killed batch's ffmpeg processes to end",
        () -> MediaFixtures.ffmpegProcessesMentioning(in.toString()).isEmpty());
    // Nothing will finish the killed run's jobs: the records say so instead of claiming to run.
    JsonNode records = Json.MAPPER.readTree(Cli.run("jobs", "ls", "--json").out()).get("jobs");
    assertThat(records).hasSize(6);
    assertThat(records).noneMatch(n -> n.get("state").asText().matches("RUNNING|QUEUED"));
    assertThat(records).allMatch(n -> n.get("state").asText().matches("SUCCEEDED|CANCELLED"));
    assertThat(records).filteredOn(n -> n.get("state").asText().equals("CANCELLED"))
        .hasSizeBetween(1, 6 - doneBefore)
        .allMatch(n -> n.at("/outcome/error").asText().contains("ended without finishing it"));

    Cli.Result r = Cli.run("batch", "transcode", in.toString(), "--out", out.toString(), "--preset", "archive",
        "--resume", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.get("skipped").asInt()).isEqualTo(doneBefore);
    assertThat(j.get("succeeded").asInt()).isEqualTo(6);
    List<String> files = names(out);
    assertThat(files).hasSize(7).contains("spool-results.jsonl").noneMatch(n -> n.endsWith(".partial"));
    for (int i = 0; i < 6; i++) {
      Path o = out.resolve("clip" + i + ".archive.mp4");
      assertThat(MediaFixtures.independentDuration(o)).isBetween(5.9, 6.1);
    }
    Map<String, Long> succeededLines = ResultsManifest.read(results).stream().filter(ResultsManifest.Line::succeeded)
        .collect(Collectors.groupingBy(ResultsManifest.Line::input, Collectors.counting()));
    assertThat(succeededLines).hasSize(6).allSatisfy((k, v) -> assertThat(v).isEqualTo(1L));
  }

  @Test
  void ctrlCCancelsCleanly() throws Exception {
    Path in = dir.resolve("in");
    for (int i = 0; i < 3; i++) {
      MediaFixtures.sample(in, "long" + i + ".mp4", 1280, 720, 20);
    }
    Path out = dir.resolve("out");
    Process p = CliProcess.start(home, logs.resolve("batch.log"), "batch", "transcode", in.toString(),
        "--out", out.toString(), "--preset", "archive");
    assertThat(CliProcess.awaitFfmpeg(in.toString(), 2)).hasSize(2);

    CliProcess.signal(p, "INT");

    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(ExitCodes.CANCELLED);
    assertThat(MediaFixtures.ffmpegProcessesMentioning(in.toString())).isEmpty();
    assertThat(names(out)).containsExactly("spool-results.jsonl");
    assertThat(ResultsManifest.latestByInput(out.resolve("spool-results.jsonl")).values())
        .hasSize(3).allMatch(l -> l.status().equals("cancelled"))
        .as("the two jobs cut short were on their first attempt").filteredOn(l -> l.attempts() == 1).hasSizeGreaterThanOrEqualTo(2);
    try (Stream<Path> scratch = Files.list(home.resolve("scratch"))) {
      assertThat(scratch).isEmpty();
    }
  }

  @Test
  void jobsCanBeListedShownAndCancelledFromAnotherProcess() throws Exception {
    Path in = dir.resolve("in");
    MediaFixtures.sample(in, "long.mp4", 1280, 720, 20);
    Path out = dir.resolve("out");
    Process p = CliProcess.start(home, logs.resolve("batch.log"), "batch", "transcode", in.toString(),
        "--out", out.toString(), "--preset", "archive", "--json");
    assertThat(CliProcess.awaitFfmpeg(in.toString(), 1)).hasSize(1);

    Cli.Result ls = Cli.run("jobs", "ls", "--state", "running", "--json");
    JsonNode running = Json.MAPPER.readTree(ls.out()).get("jobs");
    assertThat(running).hasSize(1);
    String id = running.get(0).get("id").asText();
    assertThat(Cli.run("jobs", "show", id).out()).startsWith(id + ": transcode, running").contains("long.mp4");

    assertThat(Cli.run("jobs", "cancel", id).exitCode()).isZero();

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(ExitCodes.FAILED);
    assertThat(MediaFixtures.ffmpegProcessesMentioning(in.toString())).isEmpty();
    assertThat(Json.MAPPER.readTree(Cli.run("jobs", "show", id, "--json").out()).get("state").asText()).isEqualTo("CANCELLED");
    assertThat(names(out)).containsExactly("spool-results.jsonl");
    assertThat(Cli.run("jobs", "ls", "--state", "bogus").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void costTotalsAManifestAndEstimatesFromMeasurements() throws Exception {
    Path in = dir.resolve("in");
    MediaFixtures.sample(in, "a.mp4", 640, 360, 2);
    Path out = dir.resolve("out");
    assertThat(Cli.run("batch", "transcode", in.toString(), "--out", out.toString(), "--quiet").exitCode()).isZero();

    JsonNode totals = Json.MAPPER.readTree(Cli.run("cost", out.resolve("spool-results.jsonl").toString(), "--json").out());
    assertThat(totals.get("jobs").asInt()).isEqualTo(1);
    assertThat(totals.get("costUsd").asDouble()).isPositive();

    JsonNode est = Json.MAPPER.readTree(Cli.run("cost", "--estimate", "--videos", "1000", "--seconds", "10", "--gpu", "t4", "--json").out());
    assertThat(est.get("basis").asText()).contains("1 transcode job measured");
    assertThat(est.get("costUsd").asDouble()).isPositive();
    assertThat(est.get("costUsd").asDouble()).isCloseTo(1000 * est.get("costPerVideoUsd").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(est.at("/gpu/available").asBoolean()).isFalse();
  }
}
