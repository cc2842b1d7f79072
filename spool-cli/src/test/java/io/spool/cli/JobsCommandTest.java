package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.AttemptRecord;
import io.spool.engine.BatchRecord;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.engine.Resources;
import io.spool.engine.WorkerRef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spool jobs ls} pages through the store; {@code jobs show} names the workers of a job's attempts. */
class JobsCommandTest {
  private static final Instant T0 = Instant.now();

  @TempDir Path home;

  @BeforeEach
  void records() {
    System.setProperty("spool.home", home.toString());
    long pid = ProcessHandle.current().pid();
    try (JobStore store = JobStore.at(home)) {
      for (String b : List.of("b-one", "b-two")) {
        Instant created = b.equals("b-one") ? T0 : T0.plusSeconds(60);
        List<JobRecord> jobs = IntStream.range(0, 3).mapToObj(i -> new JobRecord(b + "-j" + i, b, i, "transcode",
            "in" + i + ".mp4", "out" + i + ".mp4", JobState.QUEUED, Resources.DEFAULT, created, null, pid, null, Map.of())).toList();
        store.submit(new BatchRecord(b, "transcode", JobState.RUNNING, created, null, List.of(), 0, 0, 0, null, pid,
            BatchRecord.EMBEDDED, null), jobs);
      }
      AttemptRecord lost = new AttemptRecord(1, new WorkerRef("w-gone", "host-a", 4242), T0, null, null);
      AttemptRecord won = new AttemptRecord(2, new WorkerRef("w-ok", "host-b", 77), T0.plusSeconds(9), T0.plusSeconds(12), null);
      store.update("b-one-j1", r -> r.withOutcome(new JobOutcome(r.id(), r.batchId(), r.index(), r.type(), r.input(),
          r.output(), JobState.SUCCEEDED, null, null, 2, T0, T0.plusSeconds(12), null, 1, null, Map.of(), List.of(lost, won))));
    }
  }

  @Test
  void aListGoesOnFromTheCursorThePageBeforePrinted() throws Exception {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 3; page++) {
      Cli.Result r = cursor == null ? Cli.run("jobs", "ls", "--limit", "2", "--json")
          : Cli.run("jobs", "ls", "--limit", "2", "--cursor", cursor, "--json");
      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode json = Json.MAPPER.readTree(r.out());
      json.get("jobs").forEach(j -> seen.add(j.get("id").asText()));
      cursor = json.get("nextCursor").isNull() ? null : json.get("nextCursor").asText();
    }
    assertThat(cursor).isNull();
    assertThat(seen).containsExactly("b-two-j0", "b-two-j1", "b-two-j2", "b-one-j0", "b-one-j1", "b-one-j2");

    Cli.Result human = Cli.run("jobs", "ls", "--limit", "4");
    assertThat(human.out()).contains("b-two-j0", "b-one-j0").doesNotContain("b-one-j1");
    String more = human.out().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(more).startsWith("more: --cursor ");
    assertThat(Cli.run("jobs", "ls", "--cursor", more.substring("more: --cursor ".length())).out())
        .contains("b-one-j1", "b-one-j2").doesNotContain("b-one-j0", "more:");

    JsonNode batch = Json.MAPPER.readTree(Cli.run("jobs", "ls", "--batch", "b-one", "--state", "queued", "--json").out());
    assertThat(batch.get("jobs")).extracting(j -> j.get("id").asText()).containsExactly("b-one-j0", "b-one-j2");
    assertThat(Cli.run("jobs", "ls", "--cursor", "not-a-cursor").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aJobShowsItsAttemptsWithTheirWorkers() throws Exception {
    Cli.Result human = Cli.run("jobs", "show", "b-one-j1");
    assertThat(human.exitCode()).as(human.err()).isZero();
    assertThat(human.out()).contains("attempt 1: worker w-gone (pid 4242 on host-a)", "its worker went silent",
        "attempt 2: worker w-ok (pid 77 on host-b)");

    JsonNode json = Json.MAPPER.readTree(Cli.run("jobs", "show", "b-one-j1", "--json").out());
    assertThat(json.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(json.at("/attempts/1/worker/id").asText()).isEqualTo("w-ok");
    assertThat(json.at("/attempts/0/endedAt").isNull()).isTrue();
  }

  @Test
  void jobsShowWithoutJsonIsReadableTextOnly() {
    Cli.Result human = Cli.run("jobs", "show", "b-one-j1");

    assertThat(human.exitCode()).as(human.err()).isZero();
    assertThat(human.out()).doesNotContain("{", "}", "\"").startsWith("b-one-j1: transcode, succeeded after 2 attempts")
        .contains("input      in1.mp4", "output     out1.mp4", "batch      b-one (item 1)");
  }
}
