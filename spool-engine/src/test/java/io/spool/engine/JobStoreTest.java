package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobStoreTest {
  @TempDir Path home;

  private static void running(JobStore store, String batch, String job, long pid, Instant created) {
    store.put(new JobRecord(job, batch, 0, "transcode", "in.mp4", "out.mp4", JobState.RUNNING, Resources.DEFAULT,
        created, created, pid, null, null));
    store.putBatch(new BatchRecord(batch, "transcode", JobState.RUNNING, created, null, List.of(job), 0, 0, 0, null, pid, BatchRecord.EMBEDDED, null));
  }

  @Test
  void onlyRecordsWhoseProcessIsGoneAreClosed() throws Exception {
    JobStore store = JobStore.at(home);
    long me = ProcessHandle.current().pid();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Instant myStart = ProcessHandle.current().info().startInstant().orElseThrow();

    running(store, "b-live", "j-live", me, Instant.now());
    running(store, "b-dead", "j-dead", gone.pid(), Instant.now());
    // This pid, but the record is older than this process: the pid was recycled.
    running(store, "b-recycled", "j-recycled", me, myStart.minus(Duration.ofHours(1)));

    assertThat(store.closeAbandoned()).isEqualTo(2);

    assertThat(store.requireJob("j-live").state()).isEqualTo(JobState.RUNNING);
    assertThat(store.batch("b-live").orElseThrow().state()).isEqualTo(JobState.RUNNING);
    for (String id : List.of("dead", "recycled")) {
      JobRecord r = store.requireJob("j-" + id);
      assertThat(r.state()).isEqualTo(JobState.CANCELLED);
      assertThat(r.outcome().error()).startsWith("abandoned: its spool process (pid ");
      assertThat(store.batch("b-" + id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    }
    assertThat(store.closeAbandoned()).isZero();
  }
}
