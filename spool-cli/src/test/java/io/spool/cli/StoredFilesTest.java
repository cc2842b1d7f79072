package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.ResultsManifest;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing already stored is damaged: outputs in the way, items that overlap, paths that leave --out, resumes. */
class StoredFilesTest {
  @TempDir Path home;
  @TempDir Path dir;

  @BeforeEach
  void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  @Test
  void aBatchLeavesAnUnrelatedFileAtAnOutputPathAloneUnlessToldToOverwrite() throws Exception {
    Path in = MediaFixtures.sample(dir, "s3_1.mp4", 320, 240, 1);
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("s3_1.web.mp4"), "notes\n");

    Cli.Result r = Cli.run("batch", "transcode", in.toString(), "--out", out.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(Files.readString(out.resolve("s3_1.web.mp4"))).isEqualTo("notes\n");
    ResultsManifest.Line line = ResultsManifest.latestByInput(out.resolve("spool-results.jsonl")).get(in.toString());
    assertThat(line.errorCode()).isEqualTo("OUTPUT_EXISTS");
    assertThat(line.attempts()).isEqualTo(1);
    assertThat(line.error()).contains("output already exists", "--overwrite");

    Cli.Result again = Cli.run("batch", "transcode", in.toString(), "--out", out.toString(), "--overwrite", "--quiet");

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(MediaFixtures.independentDuration(out.resolve("s3_1.web.mp4"))).isGreaterThan(0.9);
  }

  @Test
  void transcodeRefusesAnOutputThatExistsUnlessToldToOverwrite() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 1);
    Path out = dir.resolve("out.mp4");
    Files.writeString(out, "keep me\n");

    Cli.Result r = Cli.run("transcode", in.toString(), out.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).contains("output already exists: " + out, "[OUTPUT_EXISTS]");
    assertThat(Json.MAPPER.readTree(r.out()).at("/error/attempts").asInt()).isEqualTo(1);
    assertThat(Files.readString(out)).isEqualTo("keep me\n");

    assertThat(Cli.run("transcode", in.toString(), out.toString(), "--overwrite", "--quiet").exitCode()).isZero();
    assertThat(MediaFixtures.independentDuration(out)).isGreaterThan(0.9);
  }

  @Test
  void anItemMayNotWriteAnotherItemsInputNorTheSameOutputAsAnother() throws Exception {
    Path in = dir.resolve("in");
    Path a = MediaFixtures.sample(in, "a.mp4", 320, 240, 1);
    Path b = MediaFixtures.sample(in, "b.mp4", 320, 240, 1);
    byte[] bBefore = Files.readAllBytes(b);
    Path manifest = dir.resolve("m.jsonl");
    Files.writeString(manifest, "{\"input\":\"" + a + "\",\"output\":\"b.mp4\"}\n{\"input\":\"" + b + "\"}\n");

    Cli.Result r = Cli.run("batch", "transcode", "--manifest", manifest.toString(), "--out", in.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("item 1 writes", "which item 2 reads");
    assertThat(Files.readAllBytes(b)).isEqualTo(bBefore);
    assertThat(Json.MAPPER.readTree(Cli.run("jobs", "ls", "--json").out()).get("jobs")).as("no job recorded").isEmpty();

    Files.writeString(manifest, "{\"input\":\"" + a + "\",\"output\":\"same.mp4\"}\n{\"input\":\"" + b + "\",\"output\":\"same.mp4\"}\n");
    Cli.Result same = Cli.run("batch", "transcode", "--manifest", manifest.toString(), "--out", dir.resolve("out").toString());

    assertThat(same.exitCode()).as(same.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(same.err()).contains("items 1 and 2 both write");
    assertThat(dir.resolve("out/same.mp4")).doesNotExist();
  }

  @Test
  void automaticOutputNamesStepAroundInputsInTheOutFolder() throws Exception {
    Path in = dir.resolve("in");
    Path a = MediaFixtures.sample(in, "a.mp4", 320, 240, 1);
    Path aWeb = MediaFixtures.sample(in, "a.web.mp4", 320, 240, 1);
    byte[] before = Files.readAllBytes(aWeb);

    Cli.Result r = Cli.run("batch", "transcode", a.toString(), aWeb.toString(), "--out", in.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(Files.readAllBytes(aWeb)).isEqualTo(before);
    JsonNode items = Json.MAPPER.readTree(r.out()).get("items");
    assertThat(items).extracting(i -> Path.of(i.get("output").asText()).getFileName().toString())
        .containsExactlyInAnyOrder("a-2.web.mp4", "a.web.web.mp4");
  }

  @Test
  void aManifestOutputStaysInsideOut() throws Exception {
    Path a = MediaFixtures.sample(dir, "a.mp4", 320, 240, 1);
    Path out = dir.resolve("deep/out");
    Path manifest = dir.resolve("m.csv");
    for (String escape : List.of("../../elsewhere/x.mp4", dir.resolve("abs.mp4").toString())) {
      Files.writeString(manifest, "input,output\n" + a + "," + escape + "\n");

      Cli.Result r = Cli.run("batch", "transcode", "--manifest", manifest.toString(), "--out", out.toString());

      assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("manifest item 1", "must be a path inside --out");
    }
    assertThat(dir.resolve("elsewhere")).doesNotExist();
    assertThat(dir.resolve("abs.mp4")).doesNotExist();

    Files.writeString(manifest, "input,output\n" + a + ",sub/../inside.mp4\n");
    assertThat(Cli.run("batch", "transcode", "--manifest", manifest.toString(), "--out", out.toString(), "--quiet").exitCode())
        .isZero();
    assertThat(out.resolve("inside.mp4")).isRegularFile();
  }

  @Test
  void resumeMakesAgainAnOutputThatIsEmptyOrGarbageAndSkipsOnlyWholeOnes() throws Exception {
    Path in = dir.resolve("in");
    for (String n : List.of("a", "b", "c")) {
      MediaFixtures.sample(in, n + ".mp4", 320, 240, 1);
    }
    Path out = dir.resolve("out");
    assertThat(Cli.run("batch", "transcode", in.toString(), "--out", out.toString(), "--quiet").exitCode()).isZero();
    Files.write(out.resolve("a.web.mp4"), new byte[0]);
    byte[] whole = Files.readAllBytes(out.resolve("b.web.mp4"));
    Files.write(out.resolve("b.web.mp4"), java.util.Arrays.copyOf(whole, whole.length / 2));
    byte[] c = Files.readAllBytes(out.resolve("c.web.mp4"));

    Cli.Result r = Cli.run("batch", "transcode", in.toString(), "--out", out.toString(), "--resume", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.get("skipped").asInt()).as("only c's output is whole").isEqualTo(1);
    assertThat(j.get("succeeded").asInt()).as("skipped items count as succeeded").isEqualTo(3);
    for (String n : List.of("a", "b")) {
      assertThat(MediaFixtures.independentDuration(out.resolve(n + ".web.mp4"))).as(n).isGreaterThan(0.9);
    }
    assertThat(Files.readAllBytes(out.resolve("c.web.mp4"))).isEqualTo(c);
    Map<String, ResultsManifest.Line> lines = ResultsManifest.latestByInput(out.resolve("spool-results.jsonl"));
    assertThat(lines.values()).allSatisfy(l -> assertThat(l.succeeded()).isTrue());
  }

  @Test
  void aFileThatAppearsAtTheOutputWhileTheJobRunsIsLeftAlone() throws Exception {
    Path in = MediaFixtures.sample(dir, "long.mp4", 1280, 720, 10);
    Path out = dir.resolve("race.mp4");
    java.util.concurrent.CompletableFuture<Cli.Result> run = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> Cli.run("transcode", in.toString(), out.toString(), "--preset", "archive", "--quiet"));
    io.spool.media.testing.Eventually.await(java.time.Duration.ofSeconds(30), "ffmpeg to run",
        () -> !MediaFixtures.ffmpegProcessesMentioning(dir.toString()).isEmpty());

    Files.writeString(out, "precious\n");
    Cli.Result r = run.get(120, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("output already exists", "[OUTPUT_EXISTS]");
    assertThat(Files.readString(out)).isEqualTo("precious\n");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
  }

  @Test
  void resumeReplacesOnlyTheFileItJudgedNotOneThatAppearedOrWasPublishedMeanwhile() throws Exception {
    Path in = dir.resolve("in");
    Path judged = MediaFixtures.sample(in, "judged.mp4", 1280, 720, 10);
    Path missing = MediaFixtures.sample(in, "missing.mp4", 1280, 720, 10);
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    Path judgedOut = out.resolve("judged.archive.mp4");
    Path missingOut = out.resolve("missing.archive.mp4");
    // An earlier run recorded both as made; one output is garbage now, the other is gone.
    Files.writeString(judgedOut, "garbage\n");
    Path results = out.resolve("spool-results.jsonl");
    try (ResultsManifest m = ResultsManifest.open(results)) {
      for (Path[] io : new Path[][] {{judged, judgedOut}, {missing, missingOut}}) {
        m.append(new ResultsManifest.Line(io[0].toString(), io[1].toString(), "succeeded", null, null, 1, "earlier",
            10, 1, null, null, null, Map.of()));
      }
    }
    java.util.concurrent.CompletableFuture<Cli.Result> resume = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> Cli.run("batch", "transcode", in.toString(), "--out", out.toString(), "--preset", "archive", "--resume",
            "--json"));
    io.spool.media.testing.Eventually.await(java.time.Duration.ofSeconds(60), "both items' ffmpeg to run",
        () -> MediaFixtures.ffmpegProcessesMentioning(in.toString()).size() >= 2);

    // Another process publishes over the judged file (a new file renamed into place), and
    // another one writes the output that was missing.
    Path other = Files.writeString(out.resolve(".elsewhere"), "published by another process\n");
    Files.move(other, judgedOut, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(missingOut, "written by another process\n");
    Cli.Result r = resume.get(120, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(Files.readString(judgedOut)).isEqualTo("published by another process\n");
    assertThat(Files.readString(missingOut)).isEqualTo("written by another process\n");
    Map<String, ResultsManifest.Line> lines = ResultsManifest.latestByInput(results);
    for (Path input : List.of(judged, missing)) {
      assertThat(lines.get(input.toString()).errorCode()).as(input.toString()).isEqualTo("OUTPUT_EXISTS");
    }
    assertThat(lines.get(judged.toString()).error()).contains(judgedOut.toString(), "no longer the file");
    assertThat(lines.get(missing.toString()).error()).contains("output already exists: " + missingOut);
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
  }

  @Test
  void aRerunIntoTheSameFolderKeepsEarlierResultsAndClosesATornLine() throws Exception {
    Path a = MediaFixtures.sample(dir, "a.mp4", 320, 240, 1);
    Path b = MediaFixtures.sample(dir, "b.mp4", 320, 240, 1);
    Path out = dir.resolve("out");
    Path results = out.resolve("spool-results.jsonl");
    assertThat(Cli.run("batch", "transcode", a.toString(), "--out", out.toString(), "--quiet").exitCode()).isZero();
    Files.writeString(results, "{\"input\":\"torn", java.nio.file.StandardOpenOption.APPEND);

    assertThat(Cli.run("batch", "transcode", b.toString(), "--out", out.toString(), "--quiet").exitCode()).isZero();

    Map<String, ResultsManifest.Line> lines = ResultsManifest.latestByInput(results);
    assertThat(lines.keySet()).containsExactlyInAnyOrder(a.toString(), b.toString());
    assertThat(lines.values()).allSatisfy(l -> assertThat(l.succeeded()).isTrue());
  }

  @Test
  void outputsInsideTheInputFolderAreNotTakenForInputsByTheNextRun() throws Exception {
    for (String sub : List.of("web", "")) {
      Path in = dir.resolve("in-" + sub);
      MediaFixtures.sample(in, "a.mp4", 320, 240, 1);
      MediaFixtures.sample(in, "b.mp4", 320, 240, 1);
      String out = in.resolve(sub).toString();
      assertThat(Cli.run("batch", "transcode", in.toString(), "--out", out, "--quiet").exitCode()).isZero();

      Cli.Result r = Cli.run("batch", "transcode", in.toString(), "--out", out, "--resume", "--json");

      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode j = Json.MAPPER.readTree(r.out());
      assertThat(j.get("total").asInt()).as(out).isEqualTo(2);
      assertThat(j.get("skipped").asInt()).as(out).isEqualTo(2);
    }
  }
}
