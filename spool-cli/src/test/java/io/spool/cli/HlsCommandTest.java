package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.EngineConfig;
import io.spool.engine.HlsJob;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobSpec;
import io.spool.engine.JobState;
import io.spool.engine.Resources;
import io.spool.engine.SpoolEngine;
import io.spool.media.hls.HlsOptions;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HlsCommandTest {
  @TempDir static Path home;
  @TempDir Path dir;

  @BeforeAll
  static void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  private static List<String> namesIn(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void makesALadderAsAJobAndLeavesOutRungsTallerThanTheInput() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 640, 360, 2);
    Path out = dir.resolve("in-hls");

    Cli.Result r = Cli.run("hls", in.toString(), "--out", out.toString(), "--ladder", "1080,360,240",
        "--segment-seconds", "1", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(r.out());
    assertThat(json.at("/result/output").asText()).isEqualTo(out.toString());
    assertThat(json.at("/result/master").asText()).isEqualTo("master.m3u8");
    assertThat(json.at("/result/rungs")).extracting(n -> n.get("name").asText()).containsExactly("360p", "240p");
    assertThat(json.at("/result/rungs/0/size").asText()).isEqualTo("640x360");
    assertThat(json.at("/result/rungs/0/segments").asInt()).isEqualTo(2);
    assertThat(json.at("/result/dropped")).extracting(JsonNode::asInt).containsExactly(1080);
    assertThat(json.at("/result/metrics/userSeconds").asDouble()).isPositive();
    assertThat(json.at("/cost/totalUsd").asDouble()).isPositive();
    assertThat(namesIn(out)).contains("master.m3u8", "360p.m3u8", "240p.m3u8", "360p_00000.ts", "240p_00001.ts");
    assertThat(namesIn(dir)).as("nothing but the input and the published folder").containsExactly("in-hls", "in.mp4");

    Cli.Result show = Cli.run("jobs", "show", json.at("/job").asText(), "--json");
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(Json.MAPPER.readTree(show.out()).at("/type").asText()).isEqualTo("hls");
  }

  @Test
  void aLadderIsNotMadeOverAnExistingFolderWithoutOverwrite() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 1);
    Path out = Files.createDirectories(dir.resolve("ladder"));
    Files.writeString(out.resolve("keep.txt"), "mine\n");

    Cli.Result refused = Cli.run("hls", in.toString(), "--out", out.toString(), "--quiet");

    assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).contains("OUTPUT_EXISTS");
    assertThat(namesIn(out)).containsExactly("keep.txt");

    Cli.Result replaced = Cli.run("hls", in.toString(), "--out", out.toString(), "--overwrite", "--quiet");

    assertThat(replaced.exitCode()).as(replaced.err()).isZero();
    assertThat(namesIn(out)).contains("master.m3u8", "240p.m3u8").doesNotContain("keep.txt");
    assertThat(namesIn(dir)).containsExactly("in.mp4", "ladder");
  }

  @Test
  void makesALadderInsideAVolume() throws Exception {
    assertThat(Cli.run("volume", "create", "hv").exitCode()).isZero();
    assertThat(Cli.run("volume", "put", MediaFixtures.sample(dir, "in.mp4", 320, 240, 1).toString(), "hv:raw/").exitCode())
        .isZero();

    Cli.Result r = Cli.run("hls", "hv:raw/in.mp4", "--out", "hv:ladders/in", "--ladder", "240", "--quiet");

    assertThat(r.exitCode()).as(r.err()).isZero();
    Cli.Result ls = Cli.run("volume", "ls", "hv:ladders/", "--json");
    assertThat(ls.exitCode()).as(ls.err()).isZero();
    List<String> paths = new java.util.ArrayList<>();
    Json.MAPPER.readTree(ls.out()).forEach(e -> paths.add(e.get("path").asText()));
    assertThat(paths).contains("ladders/in/master.m3u8", "ladders/in/240p.m3u8", "ladders/in/240p_00000.ts");
  }

  @Test
  void ladderJobsRunAsOneBatch() throws Exception {
    Path a = MediaFixtures.sample(dir, "a.mp4", 320, 240, 1);
    Path b = MediaFixtures.sample(dir, "b.mp4", 320, 240, 1);
    HlsOptions options = HlsOptions.newBuilder().heights(List.of(240, 144)).segmentSeconds(1).build();
    Resources one = Resources.newBuilder().cpu(1).build();
    List<JobSpec> jobs = List.of(
        HlsJob.spec(a.toString(), dir.resolve("a-hls").toString(), options, one, false),
        HlsJob.spec(b.toString(), dir.resolve("b-hls").toString(), options, one, false));

    List<JobOutcome> outcomes;
    try (SpoolEngine engine = SpoolEngine.embedded(EngineConfig.newBuilder(home).build())) {
      outcomes = engine.map(jobs, 2, true).collect(Collectors.toList());
    }

    assertThat(outcomes).extracting(JobOutcome::state).containsExactly(JobState.SUCCEEDED, JobState.SUCCEEDED);
    assertThat(outcomes).extracting(o -> o.details().get("rungs")).containsExactly("240p,144p", "240p,144p");
    for (String ladder : List.of("a-hls", "b-hls")) {
      assertThat(namesIn(dir.resolve(ladder))).contains("master.m3u8", "240p.m3u8", "144p.m3u8");
    }
  }
}
