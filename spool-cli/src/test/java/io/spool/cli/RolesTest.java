package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.AttemptRecord;
import io.spool.engine.BatchRecord;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spool's roles as separate processes on one host (dev-server, workers, submitters), and what
 * happens when one of them is killed or stopped mid-batch: real JVMs, a real port-bound Temporal
 * service, real ffmpeg. Each process's output is kept under {@code target/roles-logs/TEST}.
 */
class RolesTest {
  private static final Duration BATCH_LIMIT = Duration.ofSeconds(90);
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @TempDir Path home;
  private SpoolHost host;
  /** The records every process of the test shares, read through the public API. */
  private JobStore store;
  private Path in;
  private Path out;

  @BeforeEach
  void startHost(TestInfo test) throws Exception {
    host = new SpoolHost(home, Path.of("target", "roles-logs", test.getTestMethod().orElseThrow().getName()));
    store = JobStore.at(home);
    in = Files.createDirectories(dir.resolve("in"));
    out = dir.resolve("out");
  }

  @AfterEach
  void stopHost() throws Exception {
    host.close();
    store.close();
    host.keepRecords();
  }

  @Test
  void aBatchSubmittedByAnotherProcessRunsOnBothWorkersAndEachRecordNamesItsWorker() throws Exception {
    for (int i = 0; i < 4; i++) {
      MediaFixtures.sample(in, "clip" + i + ".mp4", 320, 240, 2);
    }
    host.devServer("--no-workers");
    List<SpoolHost.Worker> workers = host.workers(2);

    SpoolHost.Proc submit = host.spool("batch", "transcode", in.toString(), "--out", out.toString(), "--cpu", "1", "--json");

    assertThat(submit.exit(BATCH_LIMIT)).as("batch exit; stderr: %s", submit.stderr()).isZero();
    JsonNode report = submit.json();
    assertThat(report.get("succeeded").asInt()).isEqualTo(4);
    String batchId = report.get("batchId").asText();
    List<JobRecord> jobs = jobsOf(batchId);
    Set<String> ids = workers.stream().map(SpoolHost.Worker::id).collect(Collectors.toSet());
    assertThat(jobs).hasSize(4).allSatisfy(j -> {
      assertThat(j.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(lastAttempt(j).worker().id()).isIn(ids);
    });
    assertThat(jobs.stream().map(j -> lastAttempt(j).worker().id()).collect(Collectors.toSet()))
        .as("workers that ran jobs").isEqualTo(ids);
    assertOutputsValid(jobs, "spool-results.jsonl");
  }

  @Test
  void aJobOfAKilledWorkerRunsAgainOnTheOtherWorkerAndItsFfmpegDiesWithIt() throws Exception {
    Path slow = MediaFixtures.sample(in, "slow.mp4", 640, 360, 6);
    MediaFixtures.sample(in, "quick.mp4", 320, 240, 1);
    host.devServer("--no-workers");
    List<SpoolHost.Worker> workers = host.workers(2);
    String batchId = submitDetached("--preset", "archive");

    long ffmpeg = CliProcess.awaitFfmpeg(slow.toString(), 1).get(0);
    SpoolHost.Worker victim = workers.stream().filter(w -> descendsFrom(ffmpeg, w.pid())).findFirst().orElseThrow();
    SpoolHost.Worker survivor = workers.get(workers.get(0) == victim ? 1 : 0);
    Instant killed = Instant.now();
    host.kill(victim.proc());

    ProcessHandle.of(ffmpeg).ifPresent(h -> h.onExit().orTimeout(5, TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(ffmpeg)).as("the killed worker's ffmpeg").isEmpty();
    BatchRecord batch = awaitEnd(batchId);
    assertThat(batch.state()).isEqualTo(JobState.SUCCEEDED);
    List<JobRecord> jobs = jobsOf(batchId);
    JobRecord retried = jobs.stream().filter(j -> j.input().equals(slow.toString())).findFirst().orElseThrow();
    List<AttemptRecord> log = retried.outcome().attemptLog();
    assertThat(log).hasSize(2);
    assertThat(log.get(0).worker().id()).isEqualTo(victim.id());
    assertThat(log.get(0).errorCode()).isEqualTo("WORKER_LOST");
    assertThat(log.get(1).worker().id()).isEqualTo(survivor.id());
    assertThat(log.get(1).errorCode()).isNull();
    Duration recovery = Duration.between(killed, log.get(1).startedAt());
    System.out.printf("recovery after kill -9 of a worker: %.1f s (kill to the retry's start)%n", recovery.toMillis() / 1000.0);
    assertThat(recovery).isPositive().isLessThan(Duration.ofSeconds(30));
    assertOutputsValid(jobs);
  }

  @Test
  void aBatchWhoseSubmitterWasKilledStillCompletes() throws Exception {
    for (int i = 0; i < 3; i++) {
      MediaFixtures.sample(in, "clip" + i + ".mp4", 640, 360, 3);
    }
    host.devServer("--workers", "1");
    SpoolHost.Proc submit = host.spool("batch", "transcode", in.toString(), "--out", out.toString(), "--cpu", "1", "--json");
    CliProcess.awaitFfmpeg(in.toString(), 1);

    host.kill(submit);

    String batchId = store.batches().get(0).id();
    awaitEnd(batchId);
    System.setProperty("spool.home", home.toString());
    Cli.Result status = Cli.run("batch", "status", batchId, "--json");
    assertThat(status.exitCode()).isZero();
    JsonNode s = Json.MAPPER.readTree(status.out());
    assertThat(s.get("state").asText()).isEqualTo("succeeded");
    assertThat(s.at("/jobs/succeeded").asInt()).isEqualTo(3);
    List<JobRecord> jobs = jobsOf(batchId);
    assertThat(jobs).allSatisfy(j -> assertThat(j.outcome().attempts()).isEqualTo(1));
    assertOutputsValid(jobs, "spool-results.jsonl");
  }

  @Test
  void afterTheDevServerIsKilledAndStartedAgainTheWorkersReconnectAndTheBatchCompletes() throws Exception {
    for (int i = 0; i < 4; i++) {
      MediaFixtures.sample(in, "clip" + i + ".mp4", 640, 360, 4);
    }
    SpoolHost.Proc server = host.devServer("--no-workers");
    List<SpoolHost.Worker> workers = host.workers(2);
    String batchId = submitDetached("--preset", "archive");
    CliProcess.awaitFfmpeg(in.toString(), 2);

    host.kill(server);
    Instant restart = Instant.now();
    JsonNode restarted = host.devServer("--no-workers").json();

    assertThat(restarted.get("resumedBatches")).extracting(JsonNode::asText).containsExactly(batchId);
    SpoolHost.Proc wait = host.spool("batch", "wait", batchId, "--json");
    assertThat(wait.exit(BATCH_LIMIT)).as("batch wait exit; stderr: %s", wait.stderr()).isZero();
    assertThat(wait.json().get("state").asText()).isEqualTo("succeeded");
    List<JobRecord> jobs = jobsOf(batchId);
    Set<String> ids = workers.stream().map(SpoolHost.Worker::id).collect(Collectors.toSet());
    assertThat(jobs).allSatisfy(j -> assertThat(lastAttempt(j).worker().id()).isIn(ids));
    assertThat(jobs).as("jobs run again after the restart").anySatisfy(j -> assertThat(lastAttempt(j).startedAt()).isAfter(restart));
    assertOutputsValid(jobs);
  }

  @Test
  void aBatchWaitAcrossARestartOfTheDevServerSeesTheBatchStartedAgainNotFailed() throws Exception {
    for (int i = 0; i < 2; i++) {
      MediaFixtures.sample(in, "clip" + i + ".mp4", 640, 360, 4);
    }
    SpoolHost.Proc server = host.devServer("--no-workers");
    host.workers(1);
    String batchId = submitDetached("--preset", "archive");
    SpoolHost.Proc wait = host.spool("batch", "wait", batchId, "--json", "--temporal", host.target());
    CliProcess.awaitFfmpeg(in.toString(), 1);

    host.kill(server);
    JsonNode restarted = host.devServer("--no-workers").json();

    assertThat(restarted.get("resumedBatches")).extracting(JsonNode::asText).containsExactly(batchId);
    assertThat(wait.exit(BATCH_LIMIT)).as("batch wait exit; stderr: %s", wait.stderr()).isZero();
    JsonNode s = wait.json();
    assertThat(s.get("state").asText()).isEqualTo("succeeded");
    assertThat(s.path("errorCode").isTextual()).as("errorCode %s", s.path("errorCode")).isFalse();
    assertThat(s.at("/jobs/succeeded").asInt()).isEqualTo(2);
    assertOutputsValid(jobsOf(batchId));
  }

  @Test
  void aWorkerStoppedBySigtermFinishesItsRunningJobAndTakesNoOther() throws Exception {
    for (int i = 0; i < 4; i++) {
      MediaFixtures.sample(in, "clip" + i + ".mp4", 640, 360, 4);
    }
    host.devServer("--no-workers");
    SpoolHost.Worker stopped = host.worker("--grace", "60s");
    SpoolHost.Worker other = host.worker();
    String batchId = submitDetached("--preset", "archive");
    long ffmpeg = Eventually.await(Duration.ofSeconds(30), "an ffmpeg of the worker to be stopped",
        () -> MediaFixtures.ffmpegProcessesMentioning(in.toString()).stream().filter(p -> descendsFrom(p, stopped.pid()))
            .findFirst(), Optional::isPresent).orElseThrow();
    String running = inputOf(ffmpeg);

    Instant signalled = Instant.now();
    CliProcess.signal(stopped.proc().process(), "TERM");

    assertThat(stopped.proc().exit(Duration.ofSeconds(60))).as("the stopped worker's exit").isZero();
    assertThat(stopped.proc().stderr()).contains("spool worker: draining: 1 running job",
        "spool worker: drained: its running jobs finished; stopped");
    assertThat(awaitEnd(batchId).state()).isEqualTo(JobState.SUCCEEDED);
    List<JobRecord> jobs = jobsOf(batchId);
    JobRecord finished = jobs.stream().filter(j -> j.input().equals(running)).findFirst().orElseThrow();
    assertThat(finished.outcome().attemptLog()).as("the job that was running when the worker was stopped")
        .singleElement().satisfies(a -> {
          assertThat(a.worker().id()).isEqualTo(stopped.id());
          assertThat(a.errorCode()).isNull();
        });
    // A job the stopped worker had taken after the signal would show as a second attempt (or a
    // lost first one) here.
    assertThat(jobs).as("jobs run once each").allSatisfy(j -> assertThat(j.outcome().attempts()).isEqualTo(1));
    assertThat(jobs.stream().flatMap(j -> j.outcome().attemptLog().stream()))
        .as("no attempt began on the stopped worker after the signal")
        .noneMatch(a -> a.worker().id().equals(stopped.id()) && a.startedAt().isAfter(signalled));
    assertThat(jobs).anySatisfy(j -> assertThat(lastAttempt(j).worker().id()).isEqualTo(other.id()));
    assertOutputsValid(jobs);
  }

  @Test
  void aDetachedBatchIsFollowedToItsEndByBatchWait() throws Exception {
    for (int i = 0; i < 2; i++) {
      MediaFixtures.sample(in, "clip" + i + ".mp4", 320, 240, 2);
    }
    host.devServer("--workers", "1");

    String batchId = submitDetached();
    SpoolHost.Proc wait = host.spool("batch", "wait", batchId, "--json");

    assertThat(wait.exit(BATCH_LIMIT)).as("batch wait exit; stderr: %s", wait.stderr()).isZero();
    JsonNode s = wait.json();
    assertThat(s.get("id").asText()).isEqualTo(batchId);
    assertThat(s.get("state").asText()).isEqualTo("succeeded");
    assertThat(s.at("/jobs/succeeded").asInt()).isEqualTo(2);
    assertOutputsValid(jobsOf(batchId));
  }

  @Test
  void cancellingARunningJobOfABatchOnTheDevServerEndsItsFfmpegAndPublishesNothing() throws Exception {
    Path slow = MediaFixtures.sample(in, "slow.mp4", 1280, 720, 6);
    MediaFixtures.sample(in, "quick.mp4", 320, 240, 1);
    host.devServer("--workers", "1");
    String batchId = submitDetached("--preset", "archive");
    long ffmpeg = CliProcess.awaitFfmpeg(slow.toString(), 1).get(0);
    JobRecord job = jobsOf(batchId).stream().filter(j -> j.input().equals(slow.toString())).findFirst().orElseThrow();

    System.setProperty("spool.home", home.toString());
    Cli.Result cancel = Cli.run("jobs", "cancel", job.id(), "--temporal", host.target());

    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    ProcessHandle.of(ffmpeg).ifPresent(h -> h.onExit().orTimeout(5, TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(ffmpeg)).as("the cancelled job's ffmpeg").isEmpty();
    BatchRecord batch = awaitEnd(batchId);
    assertThat(batch.state()).isEqualTo(JobState.CANCELLED);
    List<JobRecord> jobs = jobsOf(batchId);
    JobRecord cancelled = jobs.stream().filter(j -> j.id().equals(job.id())).findFirst().orElseThrow();
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.outcome().errorCode()).isEqualTo("CANCELLED");
    assertThat(Path.of(cancelled.output())).doesNotExist();
    assertOutputsValid(jobs);
  }

  @Test
  void aBatchWhoseWorkflowWasTerminatedEndsAsFailedAndBatchWaitSaysSo() throws Exception {
    for (int i = 0; i < 2; i++) {
      MediaFixtures.sample(in, "clip" + i + ".mp4", 320, 240, 1);
    }
    host.devServer("--no-workers"); // no worker: the jobs wait, and the batch runs until its workflow is ended
    String batchId = submitDetached();
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(host.target()).build());
    try {
      WorkflowClient.newInstance(service).newUntypedWorkflowStub(batchId).terminate("terminated by the test");
    } finally {
      service.shutdownNow();
    }

    SpoolHost.Proc wait = host.spool("batch", "wait", batchId, "--json");

    assertThat(wait.exit(Duration.ofSeconds(30))).as("batch wait exit; stderr: %s", wait.stderr()).isEqualTo(ExitCodes.FAILED);
    JsonNode s = wait.json();
    assertThat(s.get("state").asText()).isEqualTo("failed");
    assertThat(s.get("errorCode").asText()).isEqualTo("BATCH_FAILED");
    String name = store.batch(batchId).orElseThrow().coordinator(); // the name the dev-server gives itself
    assertThat(s.get("error").asText()).isEqualTo("its workflow was terminated on " + name + " before its jobs had ended");
    assertThat(s.at("/jobs/failed").asInt()).isEqualTo(2);
    BatchRecord b = store.batch(batchId).orElseThrow();
    assertThat(b.state()).isEqualTo(JobState.FAILED);
    assertThat(b.errorCode()).isEqualTo("BATCH_FAILED");
    assertThat(jobsOf(batchId)).allSatisfy(j -> assertThat(j.outcome().errorCode()).isEqualTo("BATCH_FAILED"));
    System.setProperty("spool.home", home.toString());
    Cli.Result status = Cli.run("batch", "status", batchId);
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("failed, 2 jobs, 2 failed; BATCH_FAILED: its workflow was terminated");
  }

  @Test
  void aGpuJobOnASharedServiceWithoutAGpuWorkerRunsOnTheCpuAndSaysSo() throws Exception {
    Path clip = MediaFixtures.sample(in, "clip.mp4", 320, 240, 1);
    host.devServer("--workers", "1"); // this host proved no GPU encoder: its worker serves the cpu queue only

    SpoolHost.Proc transcode = host.spool("transcode", clip.toString(), dir.resolve("clip.gpu.mp4").toString(), "--gpu", "any",
        "--cpu", "1", "--json");

    assertThat(transcode.exit(COMMAND_LIMIT)).as("transcode exit; stderr: %s", transcode.stderr()).isZero();
    JsonNode r = transcode.json();
    assertThat(r.at("/result/videoCodec").asText()).isEqualTo("libx264");
    assertThat(r.at("/result/fallback").asText()).contains("encoded with libx264 instead of h264_nvenc");
    assertThat(r.at("/cost/gpuUsd").asDouble()).isZero();
    JobRecord job = store.requireJob(r.get("job").asText());
    assertThat(job.resources().queue()).isEqualTo("cpu");
    assertThat(MediaFixtures.independentStreams(dir.resolve("clip.gpu.mp4")).get(0).get("codec_name")).isEqualTo("h264");
  }

  @Test
  void spoolWorkersListsTheLiveWorkersAndOneThatStoppedCleanly() throws Exception {
    SpoolHost.Proc server = host.devServer("--workers", "1");
    String inServer = server.json().get("worker").asText();
    SpoolHost.Worker worker = host.worker();
    System.setProperty("spool.home", home.toString());

    JsonNode listed = Eventually.await(COMMAND_LIMIT, "both workers listed", this::workersListed, w -> w.size() == 2);

    assertThat(listed).extracting(w -> w.get("id").asText()).containsExactlyInAnyOrder(inServer, worker.id());
    assertThat(listed).allSatisfy(w -> {
      assertThat(w.get("state").asText()).isEqualTo("live");
      assertThat(w.get("queues")).extracting(JsonNode::asText).containsExactly("cpu");
      assertThat(w.get("cpu").asInt()).isEqualTo(1);
      assertThat(w.get("gpu").asBoolean()).isFalse();
      assertThat(w.get("host").asText()).isNotBlank();
      assertThat(w.get("lastSeen").asText()).isNotBlank();
    });
    assertThat(listed).anySatisfy(w -> assertThat(w.get("pid").asLong()).isEqualTo(worker.pid()))
        .anySatisfy(w -> assertThat(w.get("pid").asLong()).isEqualTo(server.pid()));
    Cli.Result human = Cli.run("workers");
    assertThat(human.exitCode()).isZero();
    assertThat(human.out()).contains("ID", "LAST SEEN", worker.id(), inServer);

    CliProcess.signal(worker.proc().process(), "TERM");
    assertThat(worker.proc().exit(COMMAND_LIMIT)).isZero();

    JsonNode after = workersListed();
    assertThat(after).hasSize(2).anySatisfy(w -> {
      assertThat(w.get("id").asText()).isEqualTo(worker.id());
      assertThat(w.get("state").asText()).isEqualTo("stopped");
      assertThat(w.get("stoppedAt").isNull()).isFalse();
    }).anySatisfy(w -> {
      assertThat(w.get("id").asText()).isEqualTo(inServer);
      assertThat(w.get("state").asText()).isEqualTo("live");
    });
  }

  /** What {@code spool workers --json} lists. */
  private JsonNode workersListed() {
    Cli.Result r = Cli.run("workers", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    try {
      return Json.MAPPER.readTree(r.out());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + r.out(), e);
    }
  }

  /** Submits the inputs as a detached batch from a process of its own and returns the batch id it printed. */
  private String submitDetached(String... options) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("batch", "transcode", in.toString(), "--out", out.toString(),
        "--cpu", "1", "--detach", "--json"));
    args.addAll(List.of(options));
    SpoolHost.Proc submit = host.spool(args.toArray(String[]::new));
    assertThat(submit.exit(COMMAND_LIMIT)).as("submit exit; stderr: %s", submit.stderr()).isZero();
    return submit.json().get("batchId").asText();
  }

  private List<JobRecord> jobsOf(String batchId) {
    return store.jobsOfBatch(batchId, 0, Integer.MAX_VALUE);
  }

  private BatchRecord awaitEnd(String batchId) {
    return Eventually.await(BATCH_LIMIT, "batch " + batchId + " to end", () -> store.batch(batchId).orElseThrow(),
        b -> b.state().terminal());
  }

  private static AttemptRecord lastAttempt(JobRecord j) {
    List<AttemptRecord> log = j.outcome().attemptLog();
    assertThat(log).as("attempts of %s", j.id()).isNotEmpty();
    return log.get(log.size() - 1);
  }

  /** Whether process {@code pid} is {@code ancestor} or runs below it. */
  private static boolean descendsFrom(long pid, long ancestor) {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    while (p.isPresent()) {
      if (p.get().pid() == ancestor) {
        return true;
      }
      p = p.get().parent();
    }
    return false;
  }

  /** The input (a file of the test's input folder) that an ffmpeg process reads. */
  private String inputOf(long ffmpeg) {
    List<String> args = List.of(ProcessHandle.of(ffmpeg).orElseThrow().info().arguments().orElseThrow());
    return args.stream().filter(a -> a.contains(in.toString())).map(a -> a.substring(a.indexOf(in.toString())))
        .findFirst().orElseThrow();
  }

  /**
   * The output folder holds exactly the outputs of the batch's succeeded jobs (and the files
   * named), each whole: ffprobe reads a video and an audio stream as long as its input. Nothing
   * else is left there: no temporary file, no second copy.
   */
  private void assertOutputsValid(List<JobRecord> jobs, String... alsoThere) throws Exception {
    Set<String> expected = new HashSet<>(List.of(alsoThere));
    for (JobRecord j : jobs) {
      if (j.state() == JobState.SUCCEEDED) {
        Path file = Path.of(j.output());
        assertThat(file.getParent()).isEqualTo(out);
        expected.add(file.getFileName().toString());
        assertThat(MediaFixtures.independentDuration(file)).as("duration of %s", file)
            .isCloseTo(MediaFixtures.independentDuration(Path.of(j.input())), within(0.2));
        assertThat(MediaFixtures.independentStreams(file)).extracting(m -> m.get("codec_type"))
            .as("streams of %s", file).containsExactlyInAnyOrder("video", "audio");
      }
    }
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("files in the output folder")
          .containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(MediaFixtures.ffmpegProcessesMentioning(in.toString())).as("ffmpeg left running").isEmpty();
  }
}
