package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.PriceTable;
import io.spool.media.testing.Eventually;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator role: real Temporal services, a real job store shared as processes share it. */
class CoordinatorTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path home;

  /** Sleeps for its {@code ms} parameter; stops when cancelled. */
  private static final JobType SLEEPY = new JobType() {
    @Override
    public String name() {
      return "sleepy";
    }

    @Override
    public JobResult run(JobContext ctx, Map<String, Object> params) {
      try {
        Thread.sleep(((Number) params.get("ms")).longValue());
      } catch (InterruptedException e) {
        throw new io.spool.media.CancelledException("cancelled while sleeping");
      }
      return new JobResult(List.of(), io.spool.media.Metrics.ZERO, 0, Map.of());
    }
  };

  private EngineConfig config() {
    return EngineConfig.newBuilder(home).cpuCores(1).jobType(SLEEPY).build();
  }

  private static List<JobSpec> sleepy(int n, long ms) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> new JobSpec("sleepy", Map.of("ms", ms), Resources.DEFAULT, "in" + i, null)).toList();
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static SpoolEngine submitter(EngineConfig config, DevServer server) {
    return SpoolEngine.connect(config, TemporalSettings.of("localhost:" + server.port()));
  }

  @Test
  void aSecondDevServerSharingTheHomeLeavesTheFirstOnesBatchesToIt() throws Exception {
    EngineConfig config = config();
    try (DevServer first = DevServer.start(config, freePort(), 1); SpoolEngine submit = submitter(config, first)) {
      BatchHandle batch = submit.submit("sleepy", sleepy(2, 60_000), 0);
      String running = batch.jobIds().get(0);
      Eventually.await(LIMIT, "the first job running", () -> batch.running().stream().anyMatch(j -> j.jobId().equals(running)));

      try (DevServer second = DevServer.start(config, freePort(), 0)) {
        assertThat(second.resumedBatches()).as("batches the second dev-server started again").isEmpty();
        // A cancel request for the first one's job is left to the first one, which stops the job.
        submit.store().requestCancel(running);
        JobRecord r = Eventually.await(LIMIT, "the job cancelled", () -> submit.store().requireJob(running),
            j -> j.state().terminal());
        assertThat(r.state()).isEqualTo(JobState.CANCELLED);
        assertThat(r.outcome().error()).startsWith("cancelled").doesNotContain("workflow");
      }
      batch.cancel();
      assertThat(batch.await().state()).isEqualTo(JobState.CANCELLED);
    }
  }

  @Test
  void aCancelOfAJobWhoseBatchWorkflowHasEndedIsRecordedNotLost() throws Exception {
    EngineConfig config = config();
    // No media worker: the jobs wait in the task queue.
    try (DevServer server = DevServer.start(config, freePort(), 0); SpoolEngine submit = submitter(config, server)) {
      BatchHandle batch = submit.submit("sleepy", sleepy(2, 1000), 0);
      batch.detach();
      String job = batch.jobIds().get(0);
      submit.client().newUntypedWorkflowStub(batch.id()).terminate("terminated by the test");

      assertThat(submit.cancelJob(job)).isTrue();

      JobRecord r = Eventually.await(LIMIT, "the job recorded as cancelled", () -> submit.store().requireJob(job),
          j -> j.state().terminal());
      assertThat(r.state()).isEqualTo(JobState.CANCELLED);
      assertThat(r.outcome().errorCode()).isEqualTo("CANCELLED");
      assertThat(r.outcome().error()).isEqualTo("cancelled after its batch's workflow had ended");
      Eventually.await(LIMIT, "the cancel request cleared", () -> !submit.store().cancelRequests().contains(job));
      assertThat(submit.store().requireJob(batch.jobIds().get(1)).state().terminal()).as("the job not cancelled ended").isFalse();
    }
  }

  @Test
  void aBatchWhoseWorkflowFailsForGoodIsRecordedFailedByIt() throws Exception {
    try (SpoolEngine engine = SpoolEngine.embedded(config())) {
      BatchHandle batch = engine.submit("sleepy", sleepy(2, 1500), 1);
      batch.detach();
      String first = batch.jobIds().get(0);
      Eventually.await(LIMIT, "the first job running", () -> batch.running().stream().anyMatch(j -> j.jobId().equals(first)));
      // Its record is damaged while it runs: recording its end fails however often it is tried.
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("spool.db"));
          java.sql.PreparedStatement ps = c.prepareStatement("UPDATE jobs SET record = 'garbage' WHERE id = ?")) {
        ps.setString(1, first);
        assertThat(ps.executeUpdate()).isOne();
      }

      BatchRecord b = Eventually.await(LIMIT, "the batch recorded as failed", () -> engine.store().batch(batch.id()).orElseThrow(),
          x -> x.state().terminal());

      assertThat(b.state()).isEqualTo(JobState.FAILED);
      assertThat(b.errorCode()).isEqualTo("BATCH_FAILED");
      assertThat(b.error()).startsWith("its workflow failed: damaged job record " + first).doesNotContain("\n");
      JobRecord second = engine.store().requireJob(batch.jobIds().get(1));
      assertThat(second.state()).isEqualTo(JobState.FAILED);
      assertThat(second.outcome().errorCode()).isEqualTo("BATCH_FAILED");
      assertThat(second.outcome().error()).isEqualTo(b.error());
    }
  }

  @Test
  void aClosedCoordinatorHasFinishedWithTheStore() throws Exception {
    JobStore store = JobStore.at(home);
    store.requestCancel("j-gone"); // a request for a job without a record: the coordinator clears it
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    // Another process holds the store's write lock: the coordinator's clearing of the request waits for it.
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("spool.db"));
        Statement s = other.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      Coordinator coordinator = Coordinator.register(env.getWorkerFactory(), store, PriceTable.REFERENCE, BatchRecord.EMBEDDED);
      Thread watcher = Eventually.await(Duration.ofSeconds(10), "the coordinator clearing the cancel request",
          () -> threadIn("clearCancelRequest"), Optional::isPresent).orElseThrow();
      Thread closing = Thread.currentThread();
      // The other process lets go once close() has begun (and only then).
      CompletableFuture<Boolean> released = CompletableFuture.supplyAsync(() -> {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && !runs(closing, "Coordinator", "close")) {
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            break;
          }
        }
        try {
          s.execute("ROLLBACK");
          return true;
        } catch (java.sql.SQLException e) {
          return false;
        }
      });

      coordinator.close();

      assertThat(watcher.isAlive()).as("the coordinator's watcher once close() has returned").isFalse();
      assertThat(released.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      env.close();
      store.close();
    }
  }

  /** The thread running a method of that name now, if one is. */
  private static Optional<Thread> threadIn(String method) {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals(method)))
        .map(java.util.Map.Entry::getKey).findFirst();
  }

  /** Whether {@code t} is inside {@code cls.method} now. */
  private static boolean runs(Thread t, String cls, String method) {
    return Arrays.stream(t.getStackTrace())
        .anyMatch(f -> f.getClassName().endsWith("." + cls) && f.getMethodName().equals(method));
  }
}
