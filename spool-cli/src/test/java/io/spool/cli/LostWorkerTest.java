package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spool.engine.AttemptRecord;
import io.spool.engine.BatchRecord;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A media worker of a shared service lost at the worst moment: after it published a job's output,
 * before the service heard of it. Real processes (a dev-server, {@code spool worker}s), real ffmpeg.
 * Each process's output is kept under {@code target/roles-logs/TEST}.
 */
class LostWorkerTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  @TempDir Path home;
  private SpoolHost host;
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
  void aJobWhoseWorkerWasKilledRightAfterPublishingSucceedsOnItsRetryWithOneValidOutput() throws Exception {
    // Long enough that the service is stopped before the job can end on a busy machine.
    Path clip = MediaFixtures.sample(in, "clip.mp4", 640, 360, 8);
    Path output = out.resolve("clip.web.mp4");
    SpoolHost.Proc server = host.devServer("--no-workers");
    SpoolHost.Worker first = host.worker();
    String batchId = submitDetached();
    CliProcess.awaitFfmpeg(clip.toString(), 1);

    // The service is paused while the job runs: the worker publishes the output, and then cannot
    // report it before it is killed.
    CliProcess.signal(server.process(), "STOP");
    try {
      Eventually.await(LIMIT, "the output to be published", () -> Files.exists(output));
      host.kill(first.proc());
    } finally {
      CliProcess.signal(server.process(), "CONT");
    }
    SpoolHost.Worker second = host.worker();

    BatchRecord batch = awaitEnd(batchId);
    JobRecord job = store.jobsOfBatch(batchId, 0, 1).get(0);
    assertThat(batch.state()).as("the batch; its job says %s", job.outcome()).isEqualTo(JobState.SUCCEEDED);
    List<AttemptRecord> log = job.outcome().attemptLog();
    assertThat(log).hasSize(2);
    assertThat(log.get(0).worker().id()).isEqualTo(first.id());
    assertThat(log.get(0).errorCode()).isEqualTo("WORKER_LOST");
    assertThat(log.get(1).worker().id()).isEqualTo(second.id());
    assertThat(log.get(1).errorCode()).isNull();
    assertThat(MediaFixtures.independentDuration(output)).isCloseTo(MediaFixtures.independentDuration(clip), within(0.2));
    assertThat(MediaFixtures.independentStreams(output)).extracting(m -> m.get("codec_type"))
        .containsExactlyInAnyOrder("video", "audio");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("files in the output folder")
          .containsExactly("clip.web.mp4");
    }
  }

  @Test
  void aWorkerStoppedBySigtermSaysThatItDrainsAndHowItEnded() throws Exception {
    Path slow = MediaFixtures.sample(in, "slow.mp4", 1280, 720, 20);
    host.devServer("--no-workers");
    SpoolHost.Proc worker = host.spool("worker", "--cpu", "1", "--grace", "1s");
    Eventually.await(LIMIT, "the worker to start", () -> !worker.stdout().isEmpty() || !worker.process().isAlive());
    assertThat(worker.stdout()).as("stderr: %s", worker.stderr()).contains(": serving cpu on " + host.target() + " with 1 core ");
    submitDetached("--preset", "archive");
    CliProcess.awaitFfmpeg(slow.toString(), 1);

    CliProcess.signal(worker.process(), "TERM");

    assertThat(worker.exit(LIMIT)).isZero();
    assertThat(worker.stderr().strip()).isEqualTo("spool worker: draining: 1 running job gets up to 1s to finish\n"
        + "spool worker: stopped: jobs still running after the grace period were ended; other workers run them again");
  }

  @Test
  void aWorkerStartingUpRemovesTheScratchFoldersOfKilledWorkers() throws Exception {
    Path slow = MediaFixtures.sample(in, "slow.mp4", 1280, 720, 20);
    host.devServer("--no-workers");
    SpoolHost.Worker killed = host.worker();
    String batchId = submitDetached("--preset", "archive");
    CliProcess.awaitFfmpeg(slow.toString(), 1);
    String jobId = store.jobsOfBatch(batchId, 0, 1).get(0).id();
    Path scratch = home.resolve("scratch");
    List<Path> left = Eventually.await(LIMIT, "the attempt's scratch folder", () -> scratchOf(scratch, jobId),
        l -> !l.isEmpty());
    host.kill(killed.proc());
    assertThat(left).allSatisfy(p -> assertThat(p).exists());

    host.worker();

    Eventually.await(LIMIT, "the killed worker's scratch folder to be removed", () -> left.stream().noneMatch(Files::exists));
  }

  /** The scratch folders of a job's attempts. */
  private static List<Path> scratchOf(Path scratch, String jobId) {
    if (!Files.isDirectory(scratch)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(scratch)) {
      return s.filter(p -> p.getFileName().toString().startsWith(jobId + "-a")).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Submits the inputs as a detached batch and returns its id. */
  private String submitDetached(String... options) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("batch", "transcode", in.toString(), "--out", out.toString(),
        "--cpu", "1", "--detach", "--json"));
    args.addAll(List.of(options));
    SpoolHost.Proc submit = host.spool(args.toArray(String[]::new));
    assertThat(submit.exit(LIMIT)).as("submit exit; stderr: %s", submit.stderr()).isZero();
    return submit.json().get("batchId").asText();
  }

  private BatchRecord awaitEnd(String batchId) {
    return Eventually.await(LIMIT, "batch " + batchId + " to end", () -> store.batch(batchId).orElseThrow(),
        b -> b.state().terminal());
  }
}
