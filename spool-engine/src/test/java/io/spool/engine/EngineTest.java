package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.ErrorCode;
import io.spool.media.TranscodeOptions;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import io.temporal.activity.Activity;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  @TempDir Path home;
  @TempDir Path dir;
  private SpoolEngine engine;
  private final List<FlakyAttempt> flakyAttempts = new CopyOnWriteArrayList<>();

  /**
   * One attempt of the flaky job: when Temporal started it (handed it to the worker), and when it
   * failed (null for the one that succeeded).
   */
  private record FlakyAttempt(int number, Instant started, Instant failed) {}

  /** Fails twice with a retryable error, then succeeds. */
  private final class FlakyJob implements JobType {
    @Override
    public String name() {
      return "flaky";
    }

    @Override
    public JobResult run(JobContext ctx, Map<String, Object> params) {
      Instant started = Instant.ofEpochMilli(Activity.getExecutionContext().getInfo().getStartedTimestamp());
      if (ctx.attempt() < 3) {
        flakyAttempts.add(new FlakyAttempt(ctx.attempt(), started, Instant.now()));
        throw new io.spool.media.SpoolException(ErrorCode.FFMPEG_FAILED, "transient failure " + ctx.attempt());
      }
      flakyAttempts.add(new FlakyAttempt(ctx.attempt(), started, null));
      return new JobResult(List.of(), io.spool.media.Metrics.ZERO, 0, Map.of("attempt", "" + ctx.attempt()));
    }
  }

  @BeforeEach
  void start() {
    engine = SpoolEngine.embedded(EngineConfig.newBuilder(home).cpuCores(2).jobType(new FlakyJob()).jobType(SLEEPY).build());
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  private JobSpec transcode(Path in, Path out, Resources r) {
    return TranscodeJob.spec(in.toString(), out.toString(), TranscodeOptions.newBuilder().height(240).build(), r);
  }

  @Test
  void remoteRunsOneTranscodeAndRecordsIt() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 2);
    Path out = dir.resolve("out/in.web.mp4");

    JobOutcome o = engine.remote(transcode(in, out, Resources.DEFAULT));

    assertThat(o.state()).as(o.error()).isEqualTo(JobState.SUCCEEDED);
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.metrics().cpuSeconds()).isPositive();
    assertThat(o.cost().totalUsd()).isPositive();
    assertThat(o.cost().reservedCpuSeconds()).isPositive();
    assertThat(o.mediaSeconds()).isBetween(1.9, 2.1);
    assertThat(Files.size(out)).isPositive();
    JobRecord r = engine.store().job(o.jobId()).orElseThrow();
    assertThat(r.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(r.outcome().cost().totalUsd()).isEqualTo(o.cost().totalUsd());
    try (Stream<Path> scratch = Files.list(home.resolve("scratch"))) {
      assertThat(scratch).isEmpty();
    }
  }

  @Test
  void batchOverCorpusAndACorruptFile() throws Exception {
    List<JobSpec> jobs = new ArrayList<>();
    List<Path> videos = MediaFixtures.corpusVideos();
    for (Path v : videos) {
      jobs.add(transcode(v, dir.resolve("out/" + v.getFileName() + ".mp4"), Resources.DEFAULT));
    }
    Path corrupt = Files.write(dir.resolve("corrupt.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 1, 2, 3});
    jobs.add(transcode(corrupt, dir.resolve("out/corrupt.out.mp4"), Resources.DEFAULT));
    jobs.add(transcode(MediaFixtures.sample(dir, "gen.mp4", 320, 240, 2), dir.resolve("out/gen.out.mp4"), Resources.DEFAULT));

    List<JobOutcome> outcomes = engine.map(jobs, 0, false).toList();

    assertThat(outcomes).hasSize(jobs.size());
    for (JobOutcome o : outcomes) {
      if (o.input().equals(corrupt.toString())) {
        assertThat(o.state()).isEqualTo(JobState.FAILED);
        assertThat(o.errorCode()).isEqualTo("INVALID_INPUT");
        assertThat(o.attempts()).isEqualTo(1);
        assertThat(dir.resolve("out/corrupt.out.mp4")).doesNotExist();
      } else {
        assertThat(o.state()).as(o.input() + ": " + o.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(MediaFixtures.independentStreams(Path.of(o.output())))
            .anyMatch(s -> "h264".equals(s.get("codec_name")));
      }
    }
  }

  @Test
  void transientFailuresAreRetriedWithBackoff() {
    JobOutcome o = engine.remote(JobSpec.of("flaky", Map.of()));

    assertThat(o.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(flakyAttempts).extracting(FlakyAttempt::number).containsExactly(1, 2, 3);
    // From an attempt's failure to Temporal's start of the next: the backoff (1 s, then doubled),
    // plus only the failure's way to Temporal and the hand-over to the waiting worker.
    for (int i = 0; i < 2; i++) {
      FlakyAttempt failed = flakyAttempts.get(i);
      FlakyAttempt retry = flakyAttempts.get(i + 1);
      long backoff = 1000L << i;
      assertThat(Duration.between(failed.failed(), retry.started()).toMillis())
          .as("backoff before attempt %d", retry.number()).isBetween(backoff - 5, backoff + 500);
    }
  }

  @Test
  void aJobCancelledWhileWaitingToBeRetriedIsNotTriedAgain() throws Exception {
    JobSpec slow = new JobSpec("flaky", Map.of(), Resources.newBuilder()
        .retries(new RetryPolicy(3, Duration.ofSeconds(20), 2.0)).build(), null, null);
    BatchHandle b = engine.submit("flaky", List.of(slow), 0);
    // Its first attempt has failed and Temporal holds the retry, 20 s away.
    PendingActivityInfo waiting = Eventually.await(Duration.ofSeconds(10), "Temporal to hold the job's second attempt",
        () -> pendingActivities(engine, b.id()), pending -> pending.stream().anyMatch(pa -> pa.getAttempt() == 2)).get(0);
    assertThat(waiting.getLastFailure().getMessage()).isEqualTo("transient failure 1");

    b.cancel();
    BatchRecord r = java.util.concurrent.CompletableFuture.supplyAsync(b::await).get(60, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(r.state()).isEqualTo(JobState.CANCELLED);
    assertThat(flakyAttempts).hasSize(1);
    // It ended with the cancel, not when the retry came 20 s later.
    assertThat(Duration.between(flakyAttempts.get(0).failed(), engine.store().requireJob(b.jobIds().get(0)).outcome().finishedAt()))
        .isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void timeoutEndsFfmpegAndIsRetriedPerPolicy() throws Exception {
    Path in = MediaFixtures.sample(dir, "long.mp4", 1280, 720, 20);
    Resources r = Resources.newBuilder().timeout(Duration.ofSeconds(1))
        .retries(new RetryPolicy(1, Duration.ofSeconds(1), 2.0)).build();
    JobSpec job = TranscodeJob.spec(in.toString(), dir.resolve("never.mp4").toString(),
        TranscodeOptions.newBuilder().preset(io.spool.media.Preset.ARCHIVE).build(), r);

    JobOutcome o = engine.remote(job);

    assertThat(o.state()).isEqualTo(JobState.FAILED);
    assertThat(o.errorCode()).isEqualTo("TIMEOUT");
    assertThat(o.attempts()).isEqualTo(2);
    assertThat(dir.resolve("never.mp4")).doesNotExist();
    assertThat(MediaFixtures.ffmpegProcessesMentioning(dir.toString())).isEmpty();
  }

  @Test
  void cancellingARunningBatchLeavesNoProcessAndNoScratch() throws Exception {
    Path in = MediaFixtures.sample(dir, "long.mp4", 1280, 720, 20);
    List<JobSpec> jobs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      jobs.add(TranscodeJob.spec(in.toString(), dir.resolve("o" + i + ".mp4").toString(),
          TranscodeOptions.newBuilder().preset(io.spool.media.Preset.ARCHIVE).build(), Resources.DEFAULT));
    }
    BatchHandle b = engine.submit("transcode", jobs, 2);
    List<Long> ffmpeg = Eventually.await(Duration.ofSeconds(10), "two ffmpeg processes",
        () -> MediaFixtures.ffmpegProcessesMentioning(dir.toString()), pids -> pids.size() >= 2);
    assertThat(ffmpeg).hasSize(2);
    Eventually.await(Duration.ofSeconds(10), "heartbeat progress",
        () -> b.running().stream().anyMatch(r -> r.fraction() > 0));

    b.cancel();
    BatchRecord rec = b.await();

    assertThat(rec.cancelled()).isEqualTo(4);
    assertThat(MediaFixtures.ffmpegProcessesMentioning(dir.toString())).isEmpty();
    try (Stream<Path> scratch = Files.list(home.resolve("scratch"))) {
      assertThat(scratch).isEmpty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("long.mp4");
    }
  }

  @Test
  void twoOneCpuJobsRunTogetherOnTwoCores() throws Exception {
    Path in = MediaFixtures.sample(dir, "long.mp4", 1280, 720, 20);
    List<JobSpec> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobs.add(TranscodeJob.spec(in.toString(), dir.resolve("o" + i + ".mp4").toString(),
          TranscodeOptions.newBuilder().preset(io.spool.media.Preset.ARCHIVE).build(), Resources.DEFAULT));
    }
    BatchHandle b = engine.submit("transcode", jobs, 0);
    // The first two go to the task queue as the workflow starts, and their records say so at once.
    List<JobState> submitted = b.jobIds().stream().map(id -> engine.store().job(id).orElseThrow().state()).toList();
    // Until two jobs have got far enough to report progress, a third would have had every chance to
    // start beside them: count the ffmpeg processes all along.
    AtomicInteger most = new AtomicInteger();
    Eventually.await(Duration.ofSeconds(20), "two jobs reporting progress", () -> {
      most.accumulateAndGet(MediaFixtures.ffmpegProcessesMentioning(dir.toString()).size(), Math::max);
      return b.running().stream().filter(r -> r.fraction() > 0).count() >= 2;
    });
    most.accumulateAndGet(MediaFixtures.ffmpegProcessesMentioning(dir.toString()).size(), Math::max);
    // All three are in the task queue (a freed slot takes the next at once); the records and the
    // progress say which two run.
    List<JobState> states = b.jobIds().stream().map(id -> engine.store().job(id).orElseThrow().state()).toList();
    List<RunningJob> reported = b.running();
    String waiting = b.jobIds().get(2);
    b.cancel(waiting);
    JobState waitingEnd = Eventually.await(Duration.ofSeconds(10), "the waiting job's record to end",
        () -> engine.store().job(waiting).orElseThrow().state(), JobState::terminal);
    int runningAfter = MediaFixtures.ffmpegProcessesMentioning(dir.toString()).size();
    b.cancel();
    b.await();
    assertThat(most).hasValue(2);
    assertThat(submitted).containsExactly(JobState.RUNNING, JobState.RUNNING, JobState.QUEUED);
    assertThat(states).containsExactly(JobState.RUNNING, JobState.RUNNING, JobState.QUEUED);
    assertThat(reported).hasSize(2);
    assertThat(waitingEnd).as("a job waiting in the queue is cancelled without running").isEqualTo(JobState.CANCELLED);
    assertThat(runningAfter).as("the running two go on").isEqualTo(2);
  }

  @Test
  void anEngineTakesTheTemporalServiceStartedAhead() {
    SpoolEngine.prestart();
    assertThat(SpoolEngine.prestartPending()).isTrue();
    try (SpoolEngine second = SpoolEngine.embedded(EngineConfig.newBuilder(home.resolve("second")).cpuCores(2)
        .jobType(new FlakyJob()).build())) {
      assertThat(SpoolEngine.prestartPending()).as("taken").isFalse();
      JobOutcome o = second.remote(new JobSpec("flaky", Map.of(),
          Resources.newBuilder().retries(new RetryPolicy(3, Duration.ofMillis(10), 1.0)).build(), null, null));
      assertThat(o.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(o.attempts()).isEqualTo(3);
    }
  }

  @Test
  void anEngineOnAPrestartedServiceClosedBeforeAnyJobTakesNoMore() {
    SpoolEngine.prestart();
    SpoolEngine unused = SpoolEngine.embedded(EngineConfig.newBuilder(home.resolve("unused")).cpuCores(1)
        .jobType(new FlakyJob()).build());
    unused.close();
    assertThat(SpoolEngine.prestartPending()).as("taken").isFalse();
    assertThatThrownBy(() -> unused.submit("flaky", List.of(new JobSpec("flaky", Map.of(), Resources.DEFAULT, null, null)), 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(unused.store().jobs((JobState) null)).as("nothing recorded").isEmpty();
    unused.close(); // a second close does nothing
  }

  @Test
  void jobOverItsMemoryAllowanceFailsOnceWithAClearReason() throws Exception {
    Path in = MediaFixtures.sample(dir, "big.mp4", 1280, 720, 10);
    JobOutcome o = engine.remote(TranscodeJob.spec(in.toString(), dir.resolve("o.mp4").toString(),
        TranscodeOptions.newBuilder().preset(io.spool.media.Preset.ARCHIVE).build(),
        Resources.newBuilder().memoryMiB(64).build()));

    assertThat(o.state()).isEqualTo(JobState.FAILED);
    assertThat(o.errorCode()).isEqualTo("MEMORY_LIMIT");
    assertThat(o.error()).contains("needs more memory");
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(dir.resolve("o.mp4")).doesNotExist();
  }

  @Test
  void costFollowsTheReferenceGuidesWorkedExample() {
    // "CPU (4 cores, 10 seconds): ~$0.001", with 8 GiB reserved and 1 GiB peak.
    JobCost c = JobCost.of(Resources.newBuilder().cpu(4).memoryMiB(8192).build(),
        new io.spool.media.Metrics(10, 25, 5, 1L << 30), io.spool.media.PriceTable.REFERENCE);
    assertThat(c.reservedCpuSeconds()).isEqualTo(40);
    assertThat(c.cpuSecondsUsed()).isEqualTo(30);
    assertThat(c.cpuUsd()).isCloseTo(0.00096, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.reservedMemoryGibSeconds()).isEqualTo(80);
    assertThat(c.memoryUsd()).isCloseTo(0.0002, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.gpuUsd()).isZero();
    JobCost t4 = JobCost.of(Resources.newBuilder().gpu("t4").build(), new io.spool.media.Metrics(3600, 0, 0, 0),
        io.spool.media.PriceTable.REFERENCE);
    assertThat(t4.gpuUsd()).isCloseTo(0.59, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void gpuJobWithoutAProvenEncoderFallsBackToLibx264AndSaysSo() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 2);
    Path out = dir.resolve("gpu.mp4");
    JobOutcome o = engine.remote(TranscodeJob.spec(in.toString(), out.toString(),
        TranscodeOptions.newBuilder().videoCodec("h264_nvenc").build(),
        Resources.newBuilder().gpu("t4").build()));

    assertThat(o.state()).as(o.error()).isEqualTo(JobState.SUCCEEDED);
    assertThat(o.details().get("fallback")).contains("h264_nvenc", "libx264");
    assertThat(o.details().get("videoCodec")).isEqualTo("libx264");
    assertThat(MediaFixtures.independentStreams(out).get(0).get("codec_name")).isEqualTo("h264");
    JobRecord r = engine.store().job(o.jobId()).orElseThrow();
    assertThat(r.resources().queue()).as("routed to the cpu queue").isEqualTo(Resources.CPU_QUEUE);
    assertThat(r.outcome().cost().gpuUsd()).as("not charged for a GPU it did not use").isZero();
  }

  @Test
  void gpuRequestWithoutACodecTakesThePresetsGpuEncoderAndFallsBackToItsCpuTwin() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 2);
    Path out = dir.resolve("hevc.mp4");
    JobSpec spec = TranscodeJob.spec(in.toString(), out.toString(),
        TranscodeOptions.newBuilder().preset(io.spool.media.Preset.HEVC).build(), Resources.newBuilder().gpu("any").build());
    assertThat(spec.params().get("videoCodec")).isEqualTo("hevc_nvenc");

    JobOutcome o = engine.remote(spec);

    assertThat(o.state()).as(o.error()).isEqualTo(JobState.SUCCEEDED);
    assertThat(o.details().get("fallback")).contains("hevc_nvenc", "libx265");
    assertThat(MediaFixtures.independentStreams(out).get(0).get("codec_name")).isEqualTo("hevc");
    assertThatThrownBy(() -> TranscodeJob.spec(in.toString(), out.toString(),
        TranscodeOptions.newBuilder().preset(io.spool.media.Preset.VP9).build(), Resources.newBuilder().gpu("any").build()))
        .isInstanceOf(io.spool.media.BadArgumentException.class).hasMessageContaining("no GPU encoder");
  }

  @Test
  void onAProvenGpuHostAnyGpuJobRunsOnTheGpuQueueAndIsPricedAsThatGpu() {
    // A job type that reports ten seconds of use, on an engine configured as a host whose NVENC
    // test encode passed on an L40S (the probe itself needs such a GPU; CapabilityProbeTest runs it).
    JobType tenSeconds = jobType("ten-seconds",
        (ctx, params) -> new JobResult(List.of(), new io.spool.media.Metrics(10, 1, 0, 0), 10, Map.of()));
    try (SpoolEngine gpuHost = SpoolEngine.embedded(EngineConfig.newBuilder(dir.resolve("gpu-home")).cpuCores(2)
        .gpuEncode(true).gpuKind("l40s").jobType(tenSeconds).build())) {
      JobOutcome o = gpuHost.remote(new JobSpec("ten-seconds", Map.of(), Resources.newBuilder().gpu("any").build(), null, null));

      assertThat(o.state()).as(o.error()).isEqualTo(JobState.SUCCEEDED);
      JobRecord r = gpuHost.store().job(o.jobId()).orElseThrow();
      assertThat(r.resources().queue()).isEqualTo(Resources.GPU_QUEUE);
      assertThat(r.resources().gpu()).isEqualTo("l40s");
      assertThat(r.outcome().cost().gpuSeconds()).isEqualTo(10);
      assertThat(r.outcome().cost().gpuUsd()).isCloseTo(10 * 1.95 / 3600, org.assertj.core.data.Offset.offset(1e-12));

      // A T4 asked for on this L40S host runs on the L40S and is priced as one, not as a T4.
      JobOutcome t4 = gpuHost.remote(new JobSpec("ten-seconds", Map.of(), Resources.newBuilder().gpu("t4").build(), null, null));
      assertThat(gpuHost.store().job(t4.jobId()).orElseThrow().resources().gpu()).isEqualTo("l40s");
      assertThat(t4.cost().gpuUsd()).isCloseTo(10 * 1.95 / 3600, org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  /** Sleeps for its {@code ms} parameter; stops when cancelled. */
  @Test
  void jobsOfDifferentWidthsRunSideBySideAsTheCoresAllow() {
    AtomicInteger busy = new AtomicInteger();
    AtomicInteger mostCores = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostJobs = new AtomicInteger();
    List<Integer> startOrder = new CopyOnWriteArrayList<>();
    JobType tracked = jobType("tracked", (ctx, params) -> {
      startOrder.add(((Number) params.get("i")).intValue());
      mostCores.accumulateAndGet(busy.addAndGet(ctx.resources().cpu()), Math::max);
      mostJobs.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        Thread.sleep(400);
      } catch (InterruptedException e) {
        throw new io.spool.media.CancelledException("cancelled while sleeping");
      } finally {
        running.decrementAndGet();
        busy.addAndGet(-ctx.resources().cpu());
      }
      return new JobResult(List.of(), io.spool.media.Metrics.ZERO, 0, Map.of());
    });
    int[] widths = {2, 1, 1, 2, 1, 1, 3, 1};
    List<JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < widths.length; i++) {
      specs.add(new JobSpec("tracked", Map.of("i", i), Resources.newBuilder().cpu(widths[i]).build(), "in" + i, null));
    }
    try (SpoolEngine four = SpoolEngine.embedded(EngineConfig.newBuilder(dir.resolve("four")).cpuCores(4).jobType(tracked).build())) {
      BatchHandle b = four.submit("tracked", specs, 0);

      assertThat(b.asCompleted().map(JobOutcome::state).toList()).hasSize(widths.length).containsOnly(JobState.SUCCEEDED);
    }
    assertThat(mostCores).as("cores in use at once").hasValue(4);
    assertThat(mostJobs).as("a 2-core job beside two 1-core ones, not two jobs at a time").hasValue(3);
    // Jobs handed out together start in any order; each group only once the one before has ended.
    assertThat(startOrder.subList(0, 3)).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(startOrder.subList(3, 6)).containsExactlyInAnyOrder(3, 4, 5);
    assertThat(startOrder.subList(6, 8)).containsExactlyInAnyOrder(6, 7);
  }

  @Test
  void aBatchOfUpTo1000InputsStartsTheLongestFirstAndALargerOneRunsAsGiven() throws Exception {
    Path shortClip = MediaFixtures.sample(dir, "short.mp4", 160, 120, 1);
    Path longClip = MediaFixtures.sample(dir, "long.mp4", 160, 120, 3);
    for (int n : new int[] {1000, 1001}) {
      List<TranscodeBatch.Item> items = new ArrayList<>();
      for (int i = 0; i < n - 1; i++) {
        items.add(new TranscodeBatch.Item(shortClip.toString(), dir.resolve("out" + n + "/s" + i + ".mp4").toString(),
            TranscodeOptions.newBuilder().build(), Resources.DEFAULT, false));
      }
      items.add(new TranscodeBatch.Item(longClip.toString(), dir.resolve("out" + n + "/long.mp4").toString(),
          TranscodeOptions.newBuilder().build(), Resources.DEFAULT, false));

      try (TranscodeBatch.Run run = TranscodeBatch.start(engine, items, dir.resolve("results" + n + ".jsonl"), false, 0, true)) {
        String first = run.itemOf(run.handle().jobIds().get(0)).input();
        run.handle().cancel();
        run.handle().await();

        assertThat(first).as("first of %d", n).isEqualTo(n <= 1000 ? longClip.toString() : shortClip.toString());
      }
    }
  }

  private static final JobType SLEEPY = jobType("sleepy", (ctx, params) -> {
    try {
      Thread.sleep(((Number) params.get("ms")).longValue());
    } catch (InterruptedException e) {
      throw new io.spool.media.CancelledException("cancelled while sleeping");
    }
    return new JobResult(List.of(), io.spool.media.Metrics.ZERO, 0, Map.of());
  });

  /** A job type from its name and what it does. */
  private static JobType jobType(String name, java.util.function.BiFunction<JobContext, Map<String, Object>, JobResult> run) {
    return new JobType() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public JobResult run(JobContext ctx, Map<String, Object> params) {
        return run.apply(ctx, params);
      }
    };
  }

  private static List<JobSpec> sleepy(int n, long ms) {
    List<JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      specs.add(new JobSpec("sleepy", Map.of("ms", ms), Resources.DEFAULT, "in" + i, null));
    }
    return specs;
  }

  /**
   * Jobs end every few milliseconds here, so a cancel almost always reaches the workflow while one
   * of them is completing. The in-process Temporal service refuses a workflow task that cancels an
   * activity which completed meanwhile, and the batch then never ended.
   */
  @Test
  void cancelsThatCrossJobsEndingStillEndTheBatch() throws Exception {
    for (int round = 0; round < 5; round++) {
      BatchHandle b = engine.submit("sleepy", sleepy(400, 0), 0);
      b.asCompleted().limit(20 + 30L * round).forEach(o -> { }); // (count() would not wait: the stream knows its size)
      String one = b.jobIds().get(200);
      b.cancel(one);
      b.cancel();
      java.util.concurrent.CompletableFuture<BatchRecord> end = java.util.concurrent.CompletableFuture.supplyAsync(b::await);

      BatchRecord r = end.get(60, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(r.state()).isEqualTo(JobState.CANCELLED);
      assertThat(r.succeeded() + r.failed() + r.cancelled()).isEqualTo(400);
      assertThat(r.failed()).isZero();
      assertThat(r.succeeded()).isGreaterThanOrEqualTo(20 + 30 * round);
      assertThat(r.cancelled()).isPositive();
      assertThat(engine.store().requireJob(one).state()).isEqualTo(JobState.CANCELLED);
    }
  }

  /** A job that does not stop when told (here: it ignores interrupts) and finishes its work. */
  @Test
  void aJobThatFinishesItsWorkAsItIsCancelledKeepsItsOutcome() throws Exception {
    JobType stubborn = jobType("stubborn", (ctx, params) -> {
      long end = System.nanoTime() + 1_500_000_000L;
      while (System.nanoTime() < end) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException ignored) {
          // carries on
        }
      }
      return new JobResult(List.of(), io.spool.media.Metrics.ZERO, 0, Map.of("done", "yes"));
    });
    try (SpoolEngine e = SpoolEngine.embedded(EngineConfig.newBuilder(dir.resolve("stubborn")).cpuCores(2).jobType(stubborn).build())) {
      BatchHandle b = e.submit("stubborn", List.of(new JobSpec("stubborn", Map.of(), Resources.DEFAULT, null, null)), 0);
      assertThat(Eventually.await(Duration.ofSeconds(10), "the job's first heartbeat", b::running, r -> !r.isEmpty()))
          .hasSize(1);

      b.cancel();
      BatchRecord r = b.await();

      // Its work was done when it learnt of the cancel, so that is what its record says.
      assertThat(r.state()).isEqualTo(JobState.SUCCEEDED);
      JobOutcome o = e.store().requireJob(b.jobIds().get(0)).outcome();
      assertThat(o.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(o.details()).containsEntry("done", "yes");
    }
  }

  private static DescribeWorkflowExecutionResponse describe(SpoolEngine e, String workflowId) {
    return e.client().getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
            .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
  }

  private static String workflowStatus(SpoolEngine e, String workflowId) {
    try {
      return describe(e, workflowId).getWorkflowExecutionInfo().getStatus().name();
    } catch (io.grpc.StatusRuntimeException ex) {
      return ex.getStatus().getCode().name();
    }
  }

  /**
   * The activities Temporal holds for a workflow: attempts running or waiting to be retried; none
   * while the workflow has not started yet.
   */
  private static List<PendingActivityInfo> pendingActivities(SpoolEngine e, String workflowId) {
    try {
      return describe(e, workflowId).getPendingActivitiesList();
    } catch (io.grpc.StatusRuntimeException ex) {
      if (ex.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return List.of();
      }
      throw ex;
    }
  }

  @Test
  void aBatchLargerThanOneWorkflowRunsAsSeveralInTurnAndKeepsItsOrder() {
    try (SpoolEngine chunked = SpoolEngine.embedded(EngineConfig.newBuilder(dir.resolve("chunked")).cpuCores(2)
        .batchChunkJobs(3).jobType(SLEEPY).build())) {
      BatchHandle b = chunked.submit("sleepy", sleepy(8, 10), 0);

      assertThat(b.inOrder().map(JobOutcome::index)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
      BatchRecord r = b.await();
      assertThat(r.succeeded()).isEqualTo(8);
      assertThat(r.state()).isEqualTo(JobState.SUCCEEDED);
      // Jobs 0-2, 3-5 and 6-7 ran in three workflows. The records say a job ended as soon as it
      // did; its workflow completes a moment later.
      for (String id : List.of(b.id(), b.id() + ".3")) {
        Eventually.await(Duration.ofSeconds(10), "workflow " + id + " to complete",
            () -> workflowStatus(chunked, id).equals("WORKFLOW_EXECUTION_STATUS_COMPLETED"));
      }
      assertThat(workflowStatus(chunked, b.id() + ".4")).isEqualTo("NOT_FOUND");
    }
  }

  @Test
  void theNextWorkflowsJobsRunBesideTheLastJobOfTheOneBefore() {
    List<JobOutcome> o = sixJobsInWorkflowsOfThreeTheThirdLong(3000, 0);

    for (JobOutcome later : o.subList(3, 6)) {
      assertThat(later.finishedAt()).as("job of the second workflow").isBefore(o.get(2).finishedAt());
    }
  }

  @Test
  void withAConcurrencyLimitTheNextWorkflowWaitsForTheOneBefore() {
    List<JobOutcome> o = sixJobsInWorkflowsOfThreeTheThirdLong(1000, 2);

    for (JobOutcome later : o.subList(3, 6)) {
      assertThat(later.startedAt()).as("job of the second workflow").isAfter(o.get(2).finishedAt());
    }
  }

  /** Runs six short sleepy jobs as two workflows of three, the third job {@code longMs} long. */
  private List<JobOutcome> sixJobsInWorkflowsOfThreeTheThirdLong(long longMs, int concurrency) {
    try (SpoolEngine chunked = SpoolEngine.embedded(EngineConfig.newBuilder(dir.resolve("chunked")).cpuCores(2)
        .batchChunkJobs(3).jobType(SLEEPY).build())) {
      List<JobSpec> specs = sleepy(6, 50);
      specs.set(2, new JobSpec("sleepy", Map.of("ms", longMs), Resources.DEFAULT, "long", null));
      BatchHandle b = chunked.submit("sleepy", specs, concurrency);
      assertThat(b.await().succeeded()).isEqualTo(6);
      return b.jobIds().stream().map(id -> chunked.store().requireJob(id).outcome()).toList();
    }
  }

  @Test
  void cancellingALargeBatchStopsTheRunningJobAndNeverStartsLaterWorkflows() throws Exception {
    try (SpoolEngine chunked = SpoolEngine.embedded(EngineConfig.newBuilder(dir.resolve("chunked")).cpuCores(2)
        .batchChunkJobs(3).jobType(SLEEPY).build())) {
      BatchHandle b = chunked.submit("sleepy", sleepy(8, 60_000), 1);
      String first = b.jobIds().get(0);
      // Its record says running from the start; its heartbeat says its worker has it.
      Eventually.await(Duration.ofSeconds(10), "the first job's heartbeat",
          () -> b.running().stream().anyMatch(j -> j.jobId().equals(first)));
      String later = b.jobIds().get(4);
      b.cancel(later);

      b.cancel();
      BatchRecord r = b.await();

      assertThat(r.cancelled()).isEqualTo(8);
      assertThat(r.state()).isEqualTo(JobState.CANCELLED);
      assertThat(chunked.store().requireJob(first).outcome().error()).startsWith("cancelled").doesNotContain("before");
      assertThat(chunked.store().requireJob(later).outcome().error()).isEqualTo("cancelled before it started");
      assertThat(chunked.store().requireJob(b.jobIds().get(7)).outcome().error()).isEqualTo("cancelled before it started");
      assertThat(workflowStatus(chunked, b.id() + ".2")).isEqualTo("NOT_FOUND");
    }
  }
}
