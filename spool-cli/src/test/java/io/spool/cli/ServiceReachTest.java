package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands pointed at a shared Temporal service that is not there (yet), or that they cannot talk
 * to: real processes, a real port with nothing on it, a real dev-server started later.
 */
class ServiceReachTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @TempDir Path home;
  private SpoolHost host;
  private Path in;
  private Path out;

  @BeforeEach
  void startHost(TestInfo test) throws Exception {
    host = new SpoolHost(home, Path.of("target", "roles-logs", test.getTestMethod().orElseThrow().getName()));
    in = Files.createDirectories(dir.resolve("in"));
    out = dir.resolve("out");
  }

  @AfterEach
  void stopHost() throws Exception {
    host.close();
    host.keepRecords();
  }

  @Test
  void submittingWhereNoServiceAnswersFailsInSecondsWithOneLineAndWritesNothing() throws Exception {
    Path clip = MediaFixtures.sample(in, "clip.mp4", 320, 240, 1);
    String expected = "spool: no Temporal service answers at " + host.target()
        + " (start one with `spool dev-server`, or unset SPOOL_TEMPORAL) [ENVIRONMENT]";

    SpoolHost.Proc batch = host.spool("batch", "transcode", in.toString(), "--out", out.toString());
    assertThat(batch.exit(LIMIT)).as("batch exit; stderr: %s", batch.stderr()).isEqualTo(ExitCodes.ENVIRONMENT);
    long t0 = System.nanoTime(); // the first command also probed this host's ffmpeg; this one reads the cache
    SpoolHost.Proc again = host.spool("batch", "transcode", in.toString(), "--out", out.toString());
    assertThat(again.exit(LIMIT)).isEqualTo(ExitCodes.ENVIRONMENT);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    SpoolHost.Proc one = host.spool("transcode", clip.toString(), dir.resolve("clip.mp4").toString());
    assertThat(one.exit(LIMIT)).isEqualTo(ExitCodes.ENVIRONMENT);

    for (SpoolHost.Proc p : List.of(batch, again, one)) {
      assertThat(lines(p.stderr())).as("stderr of %s", p).containsExactly(expected);
    }
    assertThat(took).as("time to fail (a JVM's start included)").isLessThan(Duration.ofSeconds(8));
    assertThat(out).as("the --out folder (no results file)").doesNotExist();
    assertThat(dir.resolve("clip.mp4")).doesNotExist();
    try (JobStore store = JobStore.at(home)) {
      assertThat(store.batches()).as("batch records").isEmpty();
      for (JobState s : JobState.values()) {
        assertThat(store.jobs(s)).as("%s job records", s).isEmpty();
      }
    }
  }

  private static List<String> lines(String text) {
    return text.isBlank() ? List.of() : List.of(text.strip().split("\\R"));
  }
}
