package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A job or batch record damaged by hand (or by a disk) costs a warning naming it and its
 * database: the other records still list, the cost estimate still uses them, and only the
 * damaged one's own {@code jobs show} fails, saying which record it is.
 */
class DamagedRecordsTest {
  @TempDir Path home;
  @TempDir Path dir;
  private String damaged;
  private String intact;

  @BeforeEach
  void twoFinishedJobs() throws Exception {
    System.setProperty("spool.home", home.toString());
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 1);
    damaged = job(in, "a.mp4");
    intact = job(in, "b.mp4");
  }

  private String job(Path in, String out) throws Exception {
    Cli.Result r = Cli.run("transcode", in.toString(), dir.resolve(out).toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    return Json.MAPPER.readTree(r.out()).at("/job").asText();
  }

  /** Writes {@code content} over a record's JSON in the Spool home's database, as a bad disk or hand might. */
  private void damage(String table, String id, String content, boolean unfinished) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("spool.db"));
        PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET record = ?"
            + (unfinished ? ", state = 'RUNNING', finished = 0" : "") + " WHERE id = ?")) {
      ps.setString(1, content);
      ps.setString(2, id);
      assertThat(ps.executeUpdate()).isOne();
    }
  }

  private String db() {
    return home.resolve("spool.db").toString();
  }

  @ParameterizedTest(name = "content ''{0}''")
  @ValueSource(strings = {"garbage", "{}", ""})
  void aDamagedJobRecordIsSkippedWithAWarningAndTheOthersList(String content) throws Exception {
    damage("jobs", damaged, content, false);
    String warning = "spool: warning: skipped damaged job record " + damaged + " in " + db() + ": ";

    Cli.Result ls = Cli.run("jobs", "ls", "--json");
    assertThat(ls.exitCode()).as(ls.err()).isZero();
    JsonNode jobs = Json.MAPPER.readTree(ls.out()).get("jobs");
    assertThat(jobs).hasSize(1);
    assertThat(jobs.get(0).get("id").asText()).isEqualTo(intact);
    assertThat(ls.errLines()).hasSize(1);
    assertThat(ls.err()).startsWith(warning);

    Cli.Result human = Cli.run("jobs", "ls");
    assertThat(human.exitCode()).as(human.err()).isZero();
    assertThat(human.out()).contains(intact).doesNotContain(damaged);
    assertThat(human.errLines()).hasSize(1);

    Cli.Result cost = Cli.run("cost", "--estimate", "--json");
    assertThat(cost.exitCode()).as(cost.err()).isZero();
    assertThat(Json.MAPPER.readTree(cost.out()).get("basis").asText()).isEqualTo("1 transcode job measured on this host");
    assertThat(Json.MAPPER.readTree(cost.out()).get("skippedRecords").asInt()).isEqualTo(1);
    assertThat(cost.errLines()).hasSize(1);
    assertThat(cost.err()).startsWith(warning);

    Cli.Result show = Cli.run("jobs", "show", damaged);
    assertThat(show.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(show.errLines()).hasSize(1);
    assertThat(show.err()).startsWith("spool: damaged job record " + damaged + " in " + db() + ": ").endsWith(" [RECORD_DAMAGED]\n");
    assertThat(Cli.run("jobs", "show", intact).exitCode()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"garbage", "{}"})
  void aDamagedUnfinishedBatchRecordIsSkippedWithAWarning(String content) throws Exception {
    String batch = Json.MAPPER.readTree(Cli.run("jobs", "show", damaged, "--json").out()).get("batchId").asText();
    damage("batches", batch, content, true);

    Cli.Result ls = Cli.run("jobs", "ls", "--json");

    assertThat(ls.exitCode()).as(ls.err()).isZero();
    assertThat(Json.MAPPER.readTree(ls.out()).get("jobs")).hasSize(2);
    assertThat(ls.errLines()).hasSize(1);
    assertThat(ls.err()).startsWith("spool: warning: skipped damaged batch record " + batch + " in " + db() + ": ");
  }
}
