package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The job store on SQLite in the Spool home: the contract, and what only a Spool home has. */
class JobStoreTest extends JobStoreContract {
  @Override
  String newDatabaseUrl() {
    return null;
  }

  @Test
  void theRecordFilesOfOldSpoolsAreImportedOnceAndTheDamagedOnesLeftOut() throws Exception {
    Path jobs = Files.createDirectories(home.resolve("jobs"));
    Path batches = Files.createDirectories(home.resolve("batches"));
    Path cancels = Files.createDirectories(home.resolve("cancel-requests"));
    AttemptRecord attempt = new AttemptRecord(1, new WorkerRef("w-1", "host", 7), T0.plusMillis(877), T1, null);
    JobRecord done = job("j-a", "b-1", 0, JobState.RUNNING, T0);
    done = done.withOutcome(outcome(done, JobState.SUCCEEDED, List.of(attempt)));
    JobRecord running = new JobRecord("j-b", "b-1", 1, "transcode", "b.mp4", "b.out.mp4", JobState.RUNNING,
        Resources.DEFAULT, T0, T0, 7, null, Map.of("crf", 30));
    Json.MAPPER.writeValue(jobs.resolve("j-a.json").toFile(), done);
    Json.MAPPER.writeValue(jobs.resolve("j-b.json").toFile(), running);
    Files.writeString(jobs.resolve("j-bad.json"), "garbage");
    Files.writeString(jobs.resolve(".j-c.json.12.tmp"), "{\"id\":"); // the old store's half-written file
    Json.MAPPER.writeValue(batches.resolve("b-1.json").toFile(), new BatchRecord("b-1", "transcode", JobState.RUNNING, T0,
        null, List.of("j-a", "j-b"), 0, 0, 0, null, 7, BatchRecord.EMBEDDED, null));
    Files.writeString(batches.resolve("b-bad.json"), "{}");
    Files.writeString(cancels.resolve("j-b"), "cancel\n");

    JobStore s = store();
    List<String> notices = new ArrayList<>();
    s.onSkippedRecord(notices::add);

    assertThat(s.jobs((JobState) null)).containsExactly(done, running);
    assertThat(s.batch("b-1").orElseThrow().jobIds()).containsExactly("j-a", "j-b");
    assertThat(s.cancelRequests()).containsExactly("j-b");
    assertThat(s.attempts("j-a")).containsExactly(attempt);
    assertThat(ids(s.endedSince("b-1", 0).jobs())).containsExactly("j-a");
    assertThat(notices).hasSize(2).allSatisfy(n -> assertThat(n).startsWith("did not import damaged ").doesNotContain("\n"));
    assertThat(notices.get(0)).contains("batch record " + batches.resolve("b-bad.json"));
    assertThat(notices.get(1)).contains("job record " + jobs.resolve("j-bad.json"));
    assertThat(jobs).doesNotExist();
    assertThat(batches).doesNotExist();
    assertThat(cancels).doesNotExist();
    assertThat(home.resolve("jobs.imported").resolve("j-a.json")).exists();

    JobStore again = store();
    again.onSkippedRecord(notices::add);
    assertThat(again.jobs((JobState) null)).containsExactly(done, running);
    assertThat(notices).hasSize(2);
  }

  @Test
  void aStoreWhoseSchemaIsUpToDateOpensWithoutStartingFlyway() throws Exception {
    store().cancelRequests(); // makes the schema
    Path log = home.resolve("classes.log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-verbose:class",
        "-cp", System.getProperty("java.class.path"), StoreHammer.class.getName(), home.toString(), "sqlite", "0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String classes = Files.readString(log);
    assertThat(p.exitValue()).as(classes).isZero();
    assertThat(classes).contains("io.spool.engine.internal.store.Schema").doesNotContain("org.flywaydb");
  }
}
