package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import io.spool.media.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the job store does on every database it runs on: each subclass runs these tests on one,
 * with real database files and servers, and real processes where two share records.
 */
abstract class JobStoreContract {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123Z");
  static final Instant T1 = T0.plusSeconds(60);

  @TempDir Path home;
  /** The database of this test; null: SQLite in {@link #home}. */
  String url;
  private final List<JobStore> opened = new ArrayList<>();

  /** A new, empty database's URL for {@link JobStore#open}; null for SQLite in the Spool home. */
  abstract String newDatabaseUrl() throws Exception;

  @BeforeEach
  void newDatabase() throws Exception {
    url = newDatabaseUrl();
  }

  @AfterEach
  void closeStores() {
    opened.forEach(JobStore::close);
  }

  /** A store of its own (a connection of its own) on this test's database. */
  JobStore store() {
    JobStore s = JobStore.open(home, url);
    opened.add(s);
    return s;
  }

  /** A plain JDBC connection to this test's database, to do what Spool would not. */
  Connection raw() throws SQLException {
    return DriverManager.getConnection(url != null ? url : "jdbc:sqlite:" + home.resolve("spool.db"));
  }

  static JobRecord job(String id, String batch, int index, JobState state, Instant created) {
    return new JobRecord(id, batch, index, "transcode", "in" + index + ".mp4", "out" + index + ".mp4", state,
        Resources.DEFAULT, created, null, 1, null, Map.of());
  }

  static BatchRecord batch(String id, Instant created, long pid, String coordinator) {
    return new BatchRecord(id, "transcode", JobState.RUNNING, created, null, List.of(), 0, 0, 0, null, pid, coordinator, null);
  }

  static JobOutcome outcome(JobRecord r, JobState state, List<AttemptRecord> attempts) {
    return new JobOutcome(r.id(), r.batchId(), r.index(), r.type(), r.input(), r.output(), state,
        state == JobState.SUCCEEDED ? null : ErrorCode.FFMPEG_FAILED.name(), state == JobState.SUCCEEDED ? null : "boom",
        Math.max(1, attempts.size()), T0, T1, null, 1.5, null, Map.of(), attempts);
  }

  static JobRecord ended(JobRecord r, JobState state) {
    return r.withOutcome(outcome(r, state, List.of()));
  }

  static List<String> ids(List<JobRecord> jobs) {
    return jobs.stream().map(JobRecord::id).toList();
  }

  @Test
  void aRecordReadsBackAsItWasWrittenFromAnotherConnection() {
    JobStore s = store();
    JobRecord r = new JobRecord("j-1", "b-1", 3, "transcode", "in.mp4", "out.mp4", JobState.QUEUED,
        Resources.DEFAULT, T0, null, 42, null, Map.of("crf", 23, "preset", "web"));
    s.put(r);

    assertThat(store().job("j-1")).contains(r);
    JobRecord running = s.update("j-1", x -> x.withState(JobState.RUNNING, T1));
    assertThat(store().requireJob("j-1")).isEqualTo(running);
    assertThat(running.startedAt()).isEqualTo(T1);
    assertThat(s.job("j-none")).isEmpty();
    assertThatThrownBy(() -> s.requireJob("j-none")).isInstanceOf(BadArgumentException.class).hasMessage("no job with id j-none");
    assertThatThrownBy(() -> s.update("j-none", x -> x)).isInstanceOf(BadArgumentException.class)
        .hasMessage("no job with id j-none");
    assertThatThrownBy(() -> s.job("../j-1")).isInstanceOf(BadArgumentException.class);
  }

  @Test
  void onlyRecordsWhoseProcessIsGoneAreClosed() throws Exception {
    JobStore store = store();
    long me = ProcessHandle.current().pid();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Instant myStart = ProcessHandle.current().info().startInstant().orElseThrow();

    running(store, "b-live", "j-live", me, Instant.now(), BatchRecord.EMBEDDED);
    running(store, "b-dead", "j-dead", gone.pid(), Instant.now(), BatchRecord.EMBEDDED);
    // This pid, but the record is older than this process: the pid was recycled.
    running(store, "b-recycled", "j-recycled", me, myStart.minus(Duration.ofHours(1)), BatchRecord.EMBEDDED);
    // A shared coordinator starts its batches again: its records stay open.
    running(store, "b-shared", "j-shared", gone.pid(), Instant.now(), "localhost:7233");

    assertThat(store.closeAbandoned()).isEqualTo(2);

    assertThat(store.requireJob("j-live").state()).isEqualTo(JobState.RUNNING);
    assertThat(store.batch("b-live").orElseThrow().state()).isEqualTo(JobState.RUNNING);
    assertThat(store.requireJob("j-shared").state()).isEqualTo(JobState.RUNNING);
    for (String id : List.of("dead", "recycled")) {
      JobRecord r = store.requireJob("j-" + id);
      assertThat(r.state()).isEqualTo(JobState.CANCELLED);
      assertThat(r.outcome().error()).startsWith("abandoned: its spool process (pid ");
      assertThat(store.batch("b-" + id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    }
    assertThat(store.unfinishedBatches()).extracting(BatchRecord::id).containsExactlyInAnyOrder("b-live", "b-shared");
    assertThat(store.closeAbandoned()).isZero();
  }

  private static void running(JobStore store, String batch, String job, long pid, Instant created, String coordinator) {
    store.put(new JobRecord(job, batch, 0, "transcode", "in.mp4", "out.mp4", JobState.RUNNING, Resources.DEFAULT,
        created, created, pid, null, null));
    store.putBatch(new BatchRecord(batch, "transcode", JobState.RUNNING, created, null, List.of(job), 0, 0, 0, null, pid,
        coordinator, null));
  }

  @Test
  void aBatchAndItsJobsAreSubmittedTogetherOrNotAtAll() {
    JobStore s = store();
    List<JobRecord> jobs = IntStream.range(0, 5).mapToObj(i -> job("j-" + i, "b-1", i, JobState.QUEUED, T0)).toList();
    s.submit(batch("b-1", T0, 1, BatchRecord.EMBEDDED), jobs);

    assertThat(store().batch("b-1").orElseThrow().jobIds()).containsExactly("j-0", "j-1", "j-2", "j-3", "j-4");
    assertThat(ids(s.jobsOfBatch("b-1", 1, 3))).containsExactly("j-1", "j-2");
    assertThat(s.tally("b-1")).containsExactly(entry(JobState.QUEUED, 5));

    List<JobRecord> clash = List.of(job("j-new", "b-2", 0, JobState.QUEUED, T1), job("j-0", "b-2", 1, JobState.QUEUED, T1));
    assertThatThrownBy(() -> s.submit(batch("b-2", T1, 1, BatchRecord.EMBEDDED), clash)).isInstanceOf(SpoolException.class);
    assertThat(s.batch("b-2")).isEmpty();
    assertThat(s.job("j-new")).isEmpty();
    assertThatThrownBy(() -> s.submit(batch("b-3", T1, 1, BatchRecord.EMBEDDED), List.of(job("j-x", "b-9", 0, JobState.QUEUED, T1))))
        .isInstanceOf(BadArgumentException.class).hasMessageContaining("j-x");
  }

  @Test
  void pagesGoThroughEveryJobNewestFirstOnce() {
    JobStore s = store();
    List<JobRecord> old = IntStream.range(0, 12).mapToObj(i -> job("o-" + i, "b-old", i,
        i % 3 == 0 ? JobState.SUCCEEDED : JobState.QUEUED, T0)).toList();
    s.submit(batch("b-old", T0, 1, BatchRecord.EMBEDDED), old);
    List<JobRecord> newer = IntStream.range(0, 9).mapToObj(i -> job("n-" + i, "b-new", i, JobState.QUEUED, T1)).toList();
    s.submit(batch("b-new", T1, 1, BatchRecord.EMBEDDED), newer);

    List<String> all = ids(s.jobs((JobState) null));
    assertThat(all).hasSize(21).startsWith("n-0", "n-1").endsWith("o-10", "o-11");
    assertThat(walk(s, null, null, 5)).containsExactlyElementsOf(all);
    assertThat(walk(s, JobState.SUCCEEDED, null, 2)).containsExactly("o-0", "o-3", "o-6", "o-9")
        .containsExactlyElementsOf(ids(s.jobs(JobState.SUCCEEDED)));
    assertThat(walk(s, null, "b-old", 7)).containsExactlyElementsOf(ids(old));
    assertThat(walk(s, JobState.FAILED, null, 3)).isEmpty();
    assertThatThrownBy(() -> new JobStore.JobQuery(null, null, 5, "no-cursor")).isInstanceOf(BadArgumentException.class);
    assertThatThrownBy(() -> new JobStore.JobQuery(null, null, 0, null)).isInstanceOf(BadArgumentException.class);
  }

  /** Every page of a query in turn, the last one's next cursor being null. */
  private static List<String> walk(JobStore s, JobState state, String batch, int limit) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 100; page++) {
      JobStore.Page p = s.jobs(new JobStore.JobQuery(state, batch, limit, cursor));
      assertThat(p.jobs()).hasSizeLessThanOrEqualTo(limit);
      seen.addAll(ids(p.jobs()));
      if (p.nextCursor() == null) {
        return seen;
      }
      assertThat(p.jobs()).hasSize(limit);
      cursor = p.nextCursor();
    }
    throw new AssertionError("no last page");
  }

  @Test
  void endedJobsAreFedInTheOrderTheyEnded() {
    JobStore s = store();
    List<JobRecord> jobs = IntStream.range(0, 6).mapToObj(i -> job("j-" + i, "b-1", i, JobState.QUEUED, T0)).toList();
    s.submit(batch("b-1", T0, 1, BatchRecord.EMBEDDED), jobs);
    assertThat(s.endedSince("b-1", 0)).isEqualTo(new JobStore.Ended(List.of(), 0));

    Map<String, UnaryOperator<JobRecord>> step = new LinkedHashMap<>();
    step.put("j-4", r -> ended(r, JobState.SUCCEEDED));
    step.put("j-1", r -> ended(r, JobState.FAILED));
    step.put("j-2", r -> r.withState(JobState.RUNNING, T1));
    s.updateEach(step);
    JobStore.Ended first = store().endedSince("b-1", 0);
    assertThat(ids(first.jobs())).containsExactly("j-4", "j-1");

    s.update("j-4", r -> ended(r, JobState.SUCCEEDED).withState(JobState.SUCCEEDED, T1)); // ended already: no second place
    s.put(ended(jobs.get(0), JobState.CANCELLED));
    JobStore.Ended second = store().endedSince("b-1", first.cursor());
    assertThat(ids(second.jobs())).containsExactly("j-0");
    assertThat(second.jobs().get(0).state()).isEqualTo(JobState.CANCELLED);
    assertThat(s.endedSince("b-1", second.cursor())).isEqualTo(new JobStore.Ended(List.of(), second.cursor()));
    assertThat(s.tally("b-1")).containsOnly(entry(JobState.SUCCEEDED, 1), entry(JobState.FAILED, 1),
        entry(JobState.CANCELLED, 1), entry(JobState.RUNNING, 1), entry(JobState.QUEUED, 2));
  }

  @Test
  void aFollowerMissesNoJobWhileOthersEndThemAtOnce() throws Exception {
    int writers = 4;
    int perWriter = 40;
    JobStore s = store();
    List<JobRecord> jobs = IntStream.range(0, writers * perWriter)
        .mapToObj(i -> job("j-" + i, "b-1", i, JobState.RUNNING, T0)).toList();
    s.submit(batch("b-1", T0, 1, BatchRecord.EMBEDDED), jobs);
    List<JobStore> stores = IntStream.range(0, writers).mapToObj(i -> store()).toList();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int from = w * perWriter;
        JobStore mine = stores.get(w);
        done.add(pool.submit(() -> {
          for (int i = from; i < from + perWriter; i++) {
            mine.update("j-" + i, r -> ended(r, JobState.SUCCEEDED));
          }
        }));
      }
      JobStore follower = store();
      List<String> seen = new ArrayList<>();
      long[] cursor = {0};
      Eventually.await(Duration.ofSeconds(60), "every ended job in the feed", () -> {
        JobStore.Ended e = follower.endedSince("b-1", cursor[0]);
        seen.addAll(ids(e.jobs()));
        cursor[0] = e.cursor();
        return seen.size();
      }, n -> n >= jobs.size());
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(jobs));
      assertThat(cursor[0]).isEqualTo(jobs.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void attemptsAreKeptWithTheirWorkers() {
    JobStore s = store();
    JobRecord r = job("j-1", "b-1", 0, JobState.RUNNING, T0);
    s.put(r);
    Instant start = T0.truncatedTo(ChronoUnit.MILLIS);
    AttemptRecord killed = new AttemptRecord(1, new WorkerRef("w-a", "host-a", 100), start, null, null);
    AttemptRecord ok = new AttemptRecord(2, new WorkerRef("w-b", "host-b", 200), start.plusSeconds(5), start.plusSeconds(9), null);

    s.update("j-1", x -> x.withOutcome(outcome(x, JobState.SUCCEEDED, List.of(killed, ok))));

    assertThat(store().attempts("j-1")).containsExactly(killed, ok);
    assertThat(s.requireJob("j-1").outcome().worker()).contains(new WorkerRef("w-b", "host-b", 200));
    assertThat(s.attempts("j-2")).isEmpty();
  }

  @Test
  void aBatchFailedAsAWholeEndsItsUnfinishedJobsWithItsReasonAndKeepsTheEndedOnes() {
    JobStore s = store();
    s.submit(batch("b-1", T0, 0, "localhost:7233"), List.of(job("j-0", "b-1", 0, JobState.RUNNING, T0),
        job("j-1", "b-1", 1, JobState.QUEUED, T0), job("j-2", "b-1", 2, JobState.RUNNING, T0)));
    s.update("j-0", r -> ended(r, JobState.SUCCEEDED));

    BatchRecord b = store().failBatch("b-1", ErrorCode.BATCH_FAILED, "its workflow was terminated").orElseThrow();

    assertThat(b.state()).isEqualTo(JobState.FAILED);
    assertThat(b.finishedAt()).isNotNull();
    assertThat(List.of(b.succeeded(), b.failed(), b.cancelled())).containsExactly(1, 2, 0);
    assertThat(b.errorCode()).isEqualTo("BATCH_FAILED");
    assertThat(b.error()).isEqualTo("its workflow was terminated");
    assertThat(s.batch("b-1")).contains(b);
    assertThat(s.requireJob("j-0").state()).isEqualTo(JobState.SUCCEEDED);
    for (String id : List.of("j-1", "j-2")) {
      JobOutcome o = s.requireJob(id).outcome();
      assertThat(o.state()).isEqualTo(JobState.FAILED);
      assertThat(o.errorCode()).isEqualTo("BATCH_FAILED");
      assertThat(o.error()).isEqualTo("its workflow was terminated");
    }
    assertThat(ids(s.endedSince("b-1", 0).jobs())).containsExactly("j-0", "j-1", "j-2");
    // Ended already: left as it is.
    assertThat(s.failBatch("b-1", ErrorCode.BATCH_FAILED, "again")).contains(b);
    assertThat(s.failBatch("b-none", ErrorCode.BATCH_FAILED, "none")).isEmpty();
  }

  @Test
  void workersAreListedByTheirLastSightingUntilTheyStopOrGoSilent() {
    JobStore s = store();
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    WorkerRecord gpu = WorkerRecord.starting(new WorkerRef("w-gpu", "host-a", 100), List.of("cpu", "gpu"), 8, 16384, true, t0);
    WorkerRecord cpu = WorkerRecord.starting(new WorkerRef("w-cpu", "host-b", 200), List.of("cpu"), 2, 0, false,
        t0.plusSeconds(1));
    s.putWorker(gpu);
    s.putWorker(cpu);
    assertThat(store().workers(t0.minusSeconds(60))).containsExactly(cpu, gpu);

    assertThat(s.workerSeen("w-gpu", t0.plusSeconds(10))).isTrue();
    List<WorkerRecord> seen = store().workers(t0.plusSeconds(5));
    assertThat(seen).extracting(WorkerRecord::id).containsExactly("w-gpu");
    assertThat(seen.get(0).lastSeen()).isEqualTo(t0.plusSeconds(10));
    assertThat(seen.get(0).live(t0.plusSeconds(40))).isTrue();
    assertThat(seen.get(0).servesGpu()).isTrue();
    assertThat(cpu.live(t0.plusSeconds(40))).as("silent for 39 s").isFalse();
    assertThat(cpu.servesGpu()).isFalse();

    s.workerStopped("w-gpu", t0.plusSeconds(12));
    WorkerRecord stopped = store().workers(t0).get(0);
    assertThat(stopped.stoppedAt()).isEqualTo(t0.plusSeconds(12));
    assertThat(stopped.live(t0.plusSeconds(12))).isFalse();
    assertThat(s.workerSeen("w-gpu", t0.plusSeconds(13))).as("a late refresh of a stopped worker").isFalse();
    assertThat(s.workerSeen("w-none", t0)).isFalse();

    // The next worker to start makes the store forget those not seen for a day.
    s.putWorker(WorkerRecord.starting(new WorkerRef("w-new", "host-c", 300), List.of("cpu"), 1, 0, false,
        t0.plus(WorkerRecord.KEPT_FOR).plusSeconds(2)));
    assertThat(store().workers(Instant.EPOCH)).extracting(WorkerRecord::id).containsExactly("w-new", "w-gpu");
  }

  @Test
  void cancelRequestsAreSeenByEveryProcessUntilCleared() {
    JobStore s = store();
    s.requestCancel("j-1");
    s.requestCancel("j-1");
    s.requestCancel("j-2");
    assertThat(store().cancelRequests()).containsExactlyInAnyOrder("j-1", "j-2");
    store().clearCancelRequest("j-1");
    assertThat(s.cancelRequests()).containsExactly("j-2");
  }

  @Test
  void listenersHearEachCommittedChangeOnce() {
    JobStore s = store();
    List<String> heard = new ArrayList<>();
    java.util.function.Consumer<JobRecord> listener = r -> heard.add(r.id() + ":" + r.state());
    s.addListener(listener);
    s.submit(batch("b-1", T0, 1, BatchRecord.EMBEDDED), List.of(job("j-1", "b-1", 0, JobState.QUEUED, T0),
        job("j-2", "b-1", 1, JobState.QUEUED, T0)));
    s.update("j-1", r -> r.withState(JobState.RUNNING, T1));
    s.update("j-1", r -> r.state().terminal() ? r : r.withState(JobState.RUNNING, T1)); // no change
    Map<String, UnaryOperator<JobRecord>> step = new LinkedHashMap<>();
    step.put("j-1", r -> ended(r, JobState.SUCCEEDED));
    step.put("j-2", r -> ended(r, JobState.FAILED));
    s.updateEach(step);
    s.removeListener(listener);
    s.put(job("j-3", "b-1", 2, JobState.QUEUED, T0));

    assertThat(heard).containsExactly("j-1:QUEUED", "j-2:QUEUED", "j-1:RUNNING", "j-1:SUCCEEDED", "j-2:FAILED");
  }

  @Test
  void twoProcessesChangingTheSameRecordsLoseNoChange() throws Exception {
    JobStore s = store();
    List<String> ids = List.of("j-a", "j-b", "j-c");
    s.submit(batch("b-1", T0, 1, BatchRecord.EMBEDDED),
        IntStream.range(0, ids.size()).mapToObj(i -> job(ids.get(i), "b-1", i, JobState.RUNNING, T0)).toList());
    int rounds = 150;

    List<Process> hammers = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), StoreHammer.class.getName(), home.toString(),
          url == null ? "sqlite" : url, Integer.toString(rounds)));
      cmd.addAll(ids);
      hammers.add(new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(Files.createTempFile(home, "hammer", ".log").toFile()).start());
    }
    for (Process p : hammers) {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the hammer ends").isTrue();
    }
    for (Process p : hammers) {
      assertThat(p.exitValue()).as(logs()).isZero();
    }
    for (String id : ids) {
      assertThat(store().requireJob(id).params()).containsEntry("count", 2 * rounds);
    }
  }

  private String logs() throws Exception {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(home)) {
      for (Path p : files.filter(f -> f.getFileName().toString().startsWith("hammer")).toList()) {
        b.append(Files.readString(p));
      }
    }
    return b.toString();
  }

  @Test
  void aDamagedRecordIsSkippedWithOneWarningAndNamedWhenReadAlone() throws Exception {
    JobStore s = store();
    s.submit(batch("b-1", T0, 1, BatchRecord.EMBEDDED), List.of(job("j-1", "b-1", 0, JobState.QUEUED, T0),
        job("j-2", "b-1", 1, JobState.QUEUED, T0)));
    s.putBatch(batch("b-2", T1, 1, BatchRecord.EMBEDDED));
    try (Connection c = raw();
        PreparedStatement job = c.prepareStatement("UPDATE jobs SET record = ? WHERE id = ?");
        PreparedStatement batch = c.prepareStatement("UPDATE batches SET record = ? WHERE id = ?")) {
      job.setString(1, "garbage");
      job.setString(2, "j-1");
      job.executeUpdate();
      batch.setString(1, "{}");
      batch.setString(2, "b-2");
      batch.executeUpdate();
    }
    List<String> warnings = new ArrayList<>();
    s.onSkippedRecord(warnings::add);

    assertThat(ids(s.jobs((JobState) null))).containsExactly("j-2");
    assertThat(ids(s.jobs(new JobStore.JobQuery(null, null, 10, null)).jobs())).containsExactly("j-2");
    assertThat(s.batches()).extracting(BatchRecord::id).containsExactly("b-1");
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).startsWith("skipped damaged job record j-1 in " + s.where() + ": ").doesNotContain("\n");
    assertThat(warnings.get(1)).startsWith("skipped damaged batch record b-2 in " + s.where() + ": ");
    assertThatThrownBy(() -> s.job("j-1")).isInstanceOfSatisfying(SpoolException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.RECORD_DAMAGED)).hasMessageStartingWith("damaged job record j-1 in ");
    assertThatThrownBy(() -> s.batch("b-2")).isInstanceOfSatisfying(SpoolException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.RECORD_DAMAGED)).hasMessageContaining("has no");
    assertThat(s.requireJob("j-2").id()).isEqualTo("j-2");
  }

  @Test
  void aBatchOfOneHundredThousandJobsIsSubmittedInOneGo() {
    JobStore s = store();
    int n = SpoolEngine.MAX_BATCH_JOBS;
    Instant now = Instant.now();
    List<JobRecord> jobs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      jobs.add(new JobRecord("j-" + i, "b-big", i, "transcode", "in/" + i + ".mp4", "out/" + i + ".mp4", JobState.QUEUED,
          Resources.DEFAULT, now, null, 1, null, Map.of("crf", 23)));
    }
    long t0 = System.nanoTime();
    s.submit(batch("b-big", now, 1, BatchRecord.EMBEDDED), jobs);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("%s: submit of %d jobs took %d ms%n", getClass().getSimpleName(), n, ms);

    assertThat(s.tally("b-big")).containsExactly(entry(JobState.QUEUED, n));
    assertThat(ids(s.jobsOfBatch("b-big", n - 2, n + 5))).containsExactly("j-" + (n - 2), "j-" + (n - 1));
    JobStore.Page first = s.jobs(new JobStore.JobQuery(JobState.QUEUED, null, 50, null));
    assertThat(ids(first.jobs())).startsWith("j-0", "j-1");
    assertThat(ids(s.jobs(new JobStore.JobQuery(JobState.QUEUED, null, 50, first.nextCursor())).jobs())).startsWith("j-50");
    Set<String> unique = new HashSet<>(s.batch("b-big").orElseThrow().jobIds());
    assertThat(unique).hasSize(n);
  }
}
