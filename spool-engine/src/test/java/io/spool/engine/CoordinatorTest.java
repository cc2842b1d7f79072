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
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
      // Nothing runs the batch's other job either: the batch is recorded as failed with it.
      BatchRecord b = Eventually.await(LIMIT, "the batch recorded as failed", () -> submit.store().batch(batch.id()).orElseThrow(),
          x -> x.state().terminal());
      assertThat(b.state()).isEqualTo(JobState.FAILED);
      assertThat(b.errorCode()).isEqualTo("BATCH_FAILED");
      assertThat(List.of(b.succeeded(), b.failed(), b.cancelled())).containsExactly(0, 1, 1);
      assertThat(submit.store().requireJob(batch.jobIds().get(1)).outcome().errorCode()).isEqualTo("BATCH_FAILED");
    }
  }

  @Test
  void aTerminatedBatchThatNoOneFollowsIsRecordedFailedByItsCoordinator() throws Exception {
    EngineConfig config = config();
    // No media worker: the jobs wait in the task queue.
    try (DevServer server = DevServer.start(config, freePort(), 0); JobStore store = JobStore.at(home)) {
      String batchId;
      try (SpoolEngine submit = submitter(config, server)) {
        BatchHandle batch = submit.submit("sleepy", sleepy(2, 1000), 0);
        batch.detach();
        batchId = batch.id();
        submit.client().newUntypedWorkflowStub(batchId).terminate("terminated by the test");
      }

      BatchRecord b = Eventually.await(Duration.ofSeconds(30), "the batch recorded as failed",
          () -> store.batch(batchId).orElseThrow(), x -> x.state().terminal());

      assertThat(b.state()).isEqualTo(JobState.FAILED);
      assertThat(b.errorCode()).isEqualTo("BATCH_FAILED");
      assertThat(b.coordinator()).as("the service's name for itself").isEqualTo(WorkerRef.hostName() + ":" + server.port());
      assertThat(b.error()).isEqualTo("its workflow was terminated on " + b.coordinator() + " before its jobs had ended");
      assertThat(store.jobsOfBatch(batchId, 0, 2)).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.FAILED));
    }
  }

  @Test
  void aBatchWhoseWorkflowFailsForGoodIsRecordedFailedByIt() throws Exception {
    try (SpoolEngine engine = SpoolEngine.embedded(config())) {
      BatchHandle batch = engine.submit("sleepy", sleepy(3, 1500), 1);
      batch.detach();
      String first = batch.jobIds().get(0);
      String second = batch.jobIds().get(1);
      Eventually.await(LIMIT, "the first job running", () -> batch.running().stream().anyMatch(j -> j.jobId().equals(first)));
      // The next job's record is deleted while it waits: recording its start fails however often it is tried.
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("spool.db"));
          java.sql.PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE id = ?")) {
        ps.setString(1, second);
        assertThat(ps.executeUpdate()).isOne();
      }

      BatchRecord b = Eventually.await(LIMIT, "the batch recorded as failed", () -> engine.store().batch(batch.id()).orElseThrow(),
          x -> x.state().terminal());

      assertThat(b.state()).isEqualTo(JobState.FAILED);
      assertThat(b.errorCode()).isEqualTo("BATCH_FAILED");
      assertThat(b.error()).startsWith("its workflow failed: no job with id " + second).doesNotContain("\n");
      assertThat(engine.store().requireJob(first).state()).as("the job that ran").isEqualTo(JobState.SUCCEEDED);
      JobRecord third = engine.store().requireJob(batch.jobIds().get(2));
      assertThat(third.state()).isEqualTo(JobState.FAILED);
      assertThat(third.outcome().errorCode()).isEqualTo("BATCH_FAILED");
      assertThat(third.outcome().error()).isEqualTo(b.error());
    }
  }

  @Test
  void aJobWhoseRecordIsDamagedCostsNoOtherJobItsOutcome() throws Exception {
    try (SpoolEngine engine = SpoolEngine.embedded(config())) {
      BatchHandle batch = engine.submit("sleepy", sleepy(2, 1500), 1);
      batch.detach();
      String first = batch.jobIds().get(0);
      Eventually.await(LIMIT, "the first job running", () -> batch.running().stream().anyMatch(j -> j.jobId().equals(first)));
      // Its record is damaged while it runs: its end cannot be recorded.
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("spool.db"));
          java.sql.PreparedStatement ps = c.prepareStatement("UPDATE jobs SET record = 'garbage' WHERE id = ?")) {
        ps.setString(1, first);
        assertThat(ps.executeUpdate()).isOne();
      }

      BatchRecord b = Eventually.await(LIMIT, "the batch ended", () -> engine.store().batch(batch.id()).orElseThrow(),
          x -> x.state().terminal());

      JobRecord second = engine.store().requireJob(batch.jobIds().get(1));
      assertThat(second.state()).as("the other job").isEqualTo(JobState.SUCCEEDED);
      assertThat(b.state()).isEqualTo(JobState.FAILED);
      assertThat(List.of(b.succeeded(), b.failed(), b.cancelled())).containsExactly(1, 0, 0);
      assertThat(b.errorCode()).isEqualTo("RECORD_DAMAGED");
      assertThat(b.error()).isEqualTo("the end of job " + first + " could not be recorded: its record is damaged");
    }
  }

  @Test
  void aCancelRequestedWhileTheDevServerWasDownStopsTheJobBeforeTheBatchRunsAgain() throws Exception {
    EngineConfig config = config();
    int port = freePort();
    String batchId;
    String job;
    // No media worker: the jobs wait in the task queue.
    try (DevServer first = DevServer.start(config, port, 0); SpoolEngine submit = submitter(config, first)) {
      BatchHandle batch = submit.submit("sleepy", sleepy(2, 1000), 0);
      batch.detach();
      batchId = batch.id();
      job = batch.jobIds().get(1);
    }
    try (JobStore store = JobStore.at(home)) {
      store.requestCancel(job); // while no dev-server runs

      try (DevServer again = DevServer.start(config, port, 0)) {
        assertThat(again.resumedBatches()).containsExactly(batchId);
        JobRecord r = Eventually.await(LIMIT, "the job recorded as cancelled", () -> store.requireJob(job), j -> j.state().terminal());
        assertThat(r.state()).isEqualTo(JobState.CANCELLED);
        assertThat(r.outcome().error()).isEqualTo("cancelled before it started");
        Eventually.await(LIMIT, "the cancel request cleared", () -> !store.cancelRequests().contains(job));
      }
    }
  }

  @Test
  void aBatchSubmittedThroughAnotherAddressOfTheHostIsItsDevServersOwn() throws Exception {
    EngineConfig config = config();
    int port = freePort();
    String address = nonLoopbackAddress() + ":" + port;
    String batchId;
    String job;
    // No media worker: the jobs wait in the task queue.
    try (DevServer first = DevServer.start(config, port, 0);
        SpoolEngine submit = SpoolEngine.connect(config, TemporalSettings.of(address))) {
      assertThat(first.port()).isEqualTo(port);
      BatchHandle batch = submit.submit("sleepy", sleepy(2, 1000), 0);
      batch.detach();
      batchId = batch.id();
      job = batch.jobIds().get(0);
      assertThat(submit.store().batch(batchId).orElseThrow().coordinator()).isEqualTo(WorkerRef.hostName() + ":" + port);
    }
    try (JobStore store = JobStore.at(home)) {
      store.requestCancel(job);

      try (DevServer again = DevServer.start(config, port, 0)) {
        assertThat(again.resumedBatches()).as("batches started again").containsExactly(batchId);
        Eventually.await(LIMIT, "the cancel request cleared", () -> !store.cancelRequests().contains(job));
        assertThat(store.requireJob(job).state()).isEqualTo(JobState.CANCELLED);
      }
    }
  }

  /** An address of this host other than a loopback one, as another host would reach it by. */
  private static String nonLoopbackAddress() throws java.net.SocketException {
    for (java.net.NetworkInterface n : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (n.isUp() && !n.isLoopback()) {
        for (java.net.InetAddress a : java.util.Collections.list(n.getInetAddresses())) {
          if (a instanceof java.net.Inet4Address) {
            return a.getHostAddress();
          }
        }
      }
    }
    throw new AssertionError("this host has no network address but loopback ones, which the test needs");
  }

  @Test
  void aCoordinatorNamesItsServiceAfterItsAddressAndNamespaceNotAfterItsProcess() {
    TemporalSettings plain = TemporalSettings.of("localhost:7233");
    TemporalSettings media = new TemporalSettings("localhost:7233", "media", null, null, null);
    assertThat(Coordinator.nameOf(plain)).isEqualTo(WorkerRef.hostName() + ":7233");
    assertThat(Coordinator.nameOf(media)).isEqualTo(WorkerRef.hostName() + ":7233/media");
    assertThat(Coordinator.nameOf(new TemporalSettings("temporal.example.com:7233", "media", null, null, null)))
        .isEqualTo("temporal.example.com:7233/media");
    assertThat(Coordinator.sameService(Coordinator.nameOf(media), "127.0.0.1:7233/media")).isTrue();
    assertThat(Coordinator.sameService(Coordinator.nameOf(media), Coordinator.nameOf(plain)))
        .as("one cluster's two namespaces").isFalse();
  }

  @Test
  void aJobsFirstEndIsKeptWhenItsRunReportsLater() {
    Instant now = Instant.now();
    try (JobStore store = JobStore.at(home)) {
      store.submit(new BatchRecord("b-1", "sleepy", JobState.RUNNING, now, null, List.of(), 0, 0, 0, null, 0, "localhost:1", null),
          List.of(new JobRecord("j-1", "b-1", 0, "sleepy", "in0", null, JobState.RUNNING, Resources.DEFAULT, now, now, 0, null,
              Map.of())));
      JobRecord cancelled = store.update("j-1", r -> r.withOutcome(r.endedBefore(JobState.CANCELLED, "CANCELLED",
          "cancelled after its batch's workflow had ended", now)));
      JobOutcome ran = store.requireJob("j-1").endedBefore(JobState.SUCCEEDED, null, null, now.plusSeconds(1));

      new io.spool.engine.internal.RecordActivitiesImpl(store, PriceTable.REFERENCE).finished(List.of(ran));

      assertThat(store.requireJob("j-1")).isEqualTo(cancelled);
    }
  }

  @Test
  void aGpuJobSentToTheCpuQueueEncodesOnTheCpuAlsoOnAWorkerWithAGpuEncoder() throws Exception {
    Path in = io.spool.media.testing.MediaFixtures.sample(home, "in.mp4", 320, 240, 1);
    // A worker of a host whose NVENC test encode passed (as configured: this host has none), serving
    // only the cpu queue: no live worker serves the gpu queue, so the submitter sends the job to the cpu queue.
    EngineConfig gpuHost = EngineConfig.newBuilder(home).cpuCores(1).gpuEncode(true).build();
    try (DevServer server = DevServer.start(config(), freePort(), 0);
        MediaWorker worker = MediaWorker.connect(TemporalSettings.of("localhost:" + server.port()), gpuHost,
            WorkerRef.thisProcess("gpu-host"), List.of(Resources.CPU_QUEUE));
        SpoolEngine submit = submitter(config(), server)) {
      worker.start();

      JobOutcome o = submit.remote(TranscodeJob.spec(in.toString(), home.resolve("out.mp4").toString(),
          io.spool.media.TranscodeOptions.newBuilder().build(), Resources.newBuilder().gpu("any").build(), false));

      assertThat(o.state()).as(o.error()).isEqualTo(JobState.SUCCEEDED);
      assertThat(submit.store().requireJob(o.jobId()).resources().queue()).isEqualTo(Resources.CPU_QUEUE);
      assertThat(o.details().get("videoCodec")).isEqualTo("libx264");
      assertThat(o.details().get("fallback")).startsWith("encoded with libx264 instead of h264_nvenc");
      assertThat(o.cost().gpuUsd()).isZero();
    }
  }

  @Test
  void aStoppingWorkerTakesNoJobWhileItWaitsForTheStore() throws Exception {
    Set<String> begun = ConcurrentHashMap.newKeySet();
    JobType tracked = new JobType() {
      @Override
      public String name() {
        return "tracked";
      }

      @Override
      public JobResult run(JobContext ctx, Map<String, Object> params) {
        begun.add(ctx.jobId());
        return SLEEPY.run(ctx, params);
      }
    };
    EngineConfig config = EngineConfig.newBuilder(home).cpuCores(1).jobType(tracked).build();
    try (DevServer server = DevServer.start(config, freePort(), 0);
        MediaWorker worker = MediaWorker.connect(TemporalSettings.of("localhost:" + server.port()), config,
            WorkerRef.thisProcess("stopping"), List.of(Resources.CPU_QUEUE));
        SpoolEngine submit = submitter(config, server)) {
      worker.start();
      List<JobSpec> jobs = java.util.stream.IntStream.range(0, 2)
          .mapToObj(i -> new JobSpec("tracked", Map.of("ms", 1500), Resources.DEFAULT, "in" + i, null)).toList();
      submit.submit("tracked", jobs, 0).detach(); // both go to the task queue; the worker's one core takes one
      Eventually.await(LIMIT, "a job begun", () -> !begun.isEmpty());
      CompletableFuture<Boolean> drained;
      // Another process holds the store's write lock: the worker's record of its stop waits for it
      // (up to the store's busy timeout) while the job it runs ends and the other waits in the queue.
      try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("spool.db"));
          Statement s = other.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        drained = CompletableFuture.supplyAsync(() -> worker.drain(Duration.ofSeconds(60)));
        Eventually.await(Duration.ofSeconds(50), "the drain to end, or a second job to begin on the stopping worker",
            () -> drained.isDone() || begun.size() > 1);
        s.execute("ROLLBACK");
      }

      assertThat(begun).as("jobs begun on the stopping worker").hasSize(1);
      assertThat(drained.get(10, TimeUnit.SECONDS)).as("its job ended in the grace period").isTrue();
    }
  }

  @Test
  void aClosedCoordinatorHasFinishedWithTheStore() throws Exception {
    // PostgreSQL, whose server says which statement waits for a lock.
    String url = TestPostgres.newDatabaseUrl();
    JobStore store = JobStore.open(home, url);
    store.requestCancel("j-gone"); // a request for a job without a record: the coordinator clears it
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    // Another process holds the request's row: the coordinator's clearing of it waits for it.
    try (Connection other = DriverManager.getConnection(url); Connection watch = DriverManager.getConnection(url);
        Statement s = other.createStatement()) {
      other.setAutoCommit(false);
      s.executeQuery("SELECT job_id FROM cancel_requests WHERE job_id = 'j-gone' FOR UPDATE").close();
      Coordinator coordinator = Coordinator.register(env.getWorkerFactory(), store, PriceTable.REFERENCE, BatchRecord.EMBEDDED);
      coordinator.start();
      Eventually.await(Duration.ofSeconds(10), "the coordinator waiting to clear the cancel request",
          () -> waitingForALock(watch, "DELETE FROM cancel_requests"));
      Thread thread = thread("spool-coordinator").orElseThrow();
      AtomicBoolean aliveAfterClose = new AtomicBoolean(true);
      Thread closing = new Thread(() -> {
        coordinator.close();
        aliveAfterClose.set(thread.isAlive());
      }, "closing");

      closing.start();
      // close() waits for the coordinator's thread (or, wrongly, has returned already); then the other process lets go.
      Eventually.await(Duration.ofSeconds(10), "close() waiting", () -> closing.getState() == Thread.State.TIMED_WAITING
          || !closing.isAlive());
      other.rollback();
      closing.join(Duration.ofSeconds(30).toMillis());

      assertThat(closing.isAlive()).as("close() still running").isFalse();
      assertThat(aliveAfterClose.get()).as("the coordinator's thread once close() had returned").isFalse();
    } finally {
      env.close();
      store.close();
    }
  }

  /** Whether a statement that starts with {@code sql} waits for a lock on the PostgreSQL server of {@code c}. */
  private static boolean waitingForALock(Connection c, String sql) {
    try (java.sql.PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?")) {
      ps.setString(1, sql + "%");
      try (java.sql.ResultSet r = ps.executeQuery()) {
        return r.next() && r.getInt(1) > 0;
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** The live thread of that name, if there is one. */
  private static Optional<Thread> thread(String name) {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] all = new Thread[root.activeCount() * 2 + 16];
    int n = root.enumerate(all, true);
    return Arrays.stream(all, 0, n).filter(t -> t.getName().equals(name) && t.isAlive()).findFirst();
  }
}
