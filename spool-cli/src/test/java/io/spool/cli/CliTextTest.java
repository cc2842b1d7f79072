package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.engine.BatchRecord;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.engine.Resources;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI prints for people: words that agree with their numbers, hints where a command line trips. */
class CliTextTest {
  @TempDir Path home;
  @TempDir Path dir;

  @BeforeEach
  void home() {
    System.setProperty("spool.home", home.toString());
  }

  @Test
  void aFileNameStartingWithADashIsRefusedWithAHintWhereItGoes() {
    Cli.Result r = Cli.run("batch", "transcode", "-y.mp4", "--out", dir.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).singleElement().asString().startsWith("spool: Unknown option: '-y.mp4'")
        .contains("(a file name starting with '-' goes after --)").endsWith("[BAD_ARGUMENT]");
  }

  @Test
  void oneJobIsOneJobNotOneJobs() {
    long pid = ProcessHandle.current().pid();
    Instant now = Instant.now();
    try (JobStore store = JobStore.at(home)) {
      store.submit(new BatchRecord("b-single", "transcode", JobState.RUNNING, now, null, List.of("b-single-j0"), 0, 0, 0,
          null, pid, BatchRecord.EMBEDDED, null), List.of(new JobRecord("b-single-j0", "b-single", 0, "transcode", "in.mp4",
          "out.mp4", JobState.QUEUED, Resources.DEFAULT, now, null, pid, null, Map.of())));
    }

    Cli.Result status = Cli.run("batch", "status", "b-single");

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out().strip()).isEqualTo("b-single transcode: running, 1 job, 1 queued");
  }
}
