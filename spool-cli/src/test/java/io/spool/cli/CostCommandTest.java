package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.JobCost;
import io.spool.engine.ResultsManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spool cost} of a results manifest. */
class CostCommandTest {
  @TempDir Path home;
  @TempDir Path dir;

  @BeforeEach
  void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  private static String line(String input, String status, double usd) throws Exception {
    JobCost cost = new JobCost(1, 1, 0, 0, 0, usd, 0, 0, usd);
    return io.spool.media.internal.Json.MAPPER.writeValueAsString(new ResultsManifest.Line(input, input + ".web.mp4",
        status, null, null, 1, "job-" + input, 1, 1, null, cost, null, Map.of()));
  }

  @Test
  void eachLineCostCannotCountIsNamedInAWarningAndCounted() throws Exception {
    Path results = dir.resolve("spool-results.jsonl");
    Files.writeString(results, String.join("\n", List.of(
        line("A/alpha.mp4", "succeeded", 0.25),
        "{\"input\":\"B/beta" + line("A/alpha3.mp4", "succeeded", 100),
        line("B/gamma.mp4", "failed", 0.5),
        "{\"output\":\"nobody.web.mp4\",\"status\":\"succeeded\",\"cost\":{\"totalUsd\":100}}",
        "{\"input\":\"C/delta.mp4\",\"status\":\"succ")));

    Cli.Result human = Cli.run("cost", results.toString());
    Cli.Result json = Cli.run("cost", results.toString(), "--json");

    for (Cli.Result r : List.of(human, json)) {
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.errLines()).hasSize(3);
      assertThat(r.errLines().get(0)).startsWith("spool: warning: skipped line 2 of " + results + ": not JSON (");
      assertThat(r.errLines().get(1)).startsWith("spool: warning: skipped line 4 of " + results + ": not a results line (no input");
      assertThat(r.errLines().get(2)).startsWith("spool: warning: skipped line 5 of " + results + ": not JSON: cut short");
    }
    assertThat(human.out()).contains("2 jobs (1 succeeded, 1 failed, 0 cancelled)", "3 lines skipped");
    JsonNode totals = Json.MAPPER.readTree(json.out());
    assertThat(totals.get("jobs").asInt()).isEqualTo(2);
    assertThat(totals.get("skipped").asInt()).isEqualTo(3);
    assertThat(totals.get("costUsd").asDouble()).isEqualTo(0.75);
  }
}
