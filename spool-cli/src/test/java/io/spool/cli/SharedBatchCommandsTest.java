package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Following and steering a batch of a shared service from another terminal ({@code batch wait},
 * {@code jobs cancel}): real processes, a real dev-server and workers, real ffmpeg.
 */
class SharedBatchCommandsTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

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
  void ctrlCOfBatchWaitStopsOnlyTheWaitingAndSaysTheBatchGoesOn() throws Exception {
    MediaFixtures.sample(in, "clip.mp4", 320, 240, 1);
    host.devServer("--no-workers"); // no worker: the batch runs until the test ends
    String batchId = submitDetached();
    SpoolHost.Proc wait = host.spool("batch", "wait", batchId);
    awaitOpened(wait, home.resolve("spool.db")); // it is waiting, past its start

    CliProcess.signal(wait.process(), "INT");

    assertThat(wait.exit(LIMIT)).as("stderr: %s", wait.stderr()).isEqualTo(ExitCodes.CANCELLED);
    assertThat(lines(wait.stderr())).containsExactly("spool: stopped waiting; batch " + batchId + " goes on (spool batch wait "
        + batchId + " to follow it again) [CANCELLED]");
    assertThat(store.batch(batchId).orElseThrow().state()).isEqualTo(JobState.RUNNING);
  }

  @Test
  void batchWaitThatGivesUpSaysSoWithItsOwnExitCodeAndTheCostOfTheJobsEndedSoFar() throws Exception {
    MediaFixtures.sample(in, "short.mp4", 320, 240, 1);
    MediaFixtures.sample(in, "long.mp4", 640, 360, 20);
    host.devServer("--workers", "2");
    // Without --json, stdout holds the id alone, as B=$(spool batch transcode ... --detach) wants.
    SpoolHost.Proc submit = host.spool("batch", "transcode", in.toString(), "--out", out.toString(), "--cpu", "1",
        "--detach", "--preset", "archive");
    assertThat(submit.exit(LIMIT)).as("submit exit; stderr: %s", submit.stderr()).isZero();
    String batchId = submit.stdout().strip();
    assertThat(batchId).matches("b-[0-9]{8}-[0-9]{6}-[a-z0-9]+");
    assertThat(submit.stderr()).contains("spool batch wait " + batchId);
    Eventually.await(LIMIT, "the short job to succeed", () -> store.tally(batchId).getOrDefault(JobState.SUCCEEDED, 0) == 1);

    SpoolHost.Proc json = host.spool("batch", "wait", batchId, "--timeout", "2s", "--json");
    SpoolHost.Proc text = host.spool("batch", "wait", batchId, "--timeout", "1s");

    assertThat(json.exit(LIMIT)).as("stderr: %s", json.stderr()).isEqualTo(ExitCodes.STILL_RUNNING);
    JsonNode s = json.json();
    assertThat(s.get("state").asText()).isEqualTo("running");
    assertThat(s.get("timedOut").asBoolean()).isTrue();
    assertThat(s.get("costUsd").asDouble()).as("cost of the job that ended").isPositive();
    assertThat(lines(json.stderr())).containsExactly("spool: batch " + batchId + " still running after 2s");
    assertThat(text.exit(LIMIT)).isEqualTo(ExitCodes.STILL_RUNNING);
    assertThat(text.stdout()).startsWith(batchId + " transcode: running, 2 jobs").contains("1 succeeded", "cost $");
    assertThat(lines(text.stderr())).containsExactly("spool: batch " + batchId + " still running after 1s");
  }

  @Test
  void aCancelledRunningJobOfASharedServiceEndsWithinSecondsOfTheRequestAndTheCommandSaysAWorkerStopsIt()
      throws Exception {
    Path slow = MediaFixtures.sample(in, "slow.mp4", 1280, 720, 20);
    host.devServer("--no-workers");
    host.worker();
    String batchId = submitDetached("--preset", "archive");
    long ffmpeg = CliProcess.awaitFfmpeg(slow.toString(), 1).get(0);
    JobRecord job = store.jobsOfBatch(batchId, 0, 1).get(0);
    // What a command of this kind costs on this host now (a JVM, the job store): the yardstick.
    long s0 = System.nanoTime();
    assertThat(host.spool("jobs", "show", job.id()).exit(LIMIT)).isZero();
    Duration show = Duration.ofNanos(System.nanoTime() - s0);

    long c0 = System.nanoTime();
    SpoolHost.Proc cancel = host.spool("jobs", "cancel", job.id());
    assertThat(cancel.exit(LIMIT)).as("stderr: %s", cancel.stderr()).isZero();
    long returned = System.nanoTime();
    ProcessHandle.of(ffmpeg).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    Duration ended = Duration.ofNanos(System.nanoTime() - returned);

    assertThat(cancel.stdout().strip()).isEqualTo("cancel requested for " + job.id()
        + "; the worker running it ends it within seconds and nothing is published");
    assertThat(Duration.ofNanos(returned - c0)).as("jobs cancel (jobs show took %s)", show)
        .isLessThan(show.plusSeconds(1));
    assertThat(ended).as("from the command's return to the end of the job's ffmpeg").isLessThan(Duration.ofMillis(2500));
    JobRecord cancelled = Eventually.await(LIMIT, "the job's record to end", () -> store.requireJob(job.id()),
        r -> r.state().terminal());
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.outcome().attemptLog()).singleElement().satisfies(a -> assertThat(a.errorCode()).isEqualTo("CANCELLED"));
    assertThat(out.resolve("slow.web.mp4")).doesNotExist();
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

  /** Waits until process {@code p} has {@code file} open. */
  private static void awaitOpened(SpoolHost.Proc p, Path file) {
    Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
    Eventually.await(LIMIT, p + " to open " + file, () -> {
      try (Stream<Path> open = Files.list(fds)) {
        return open.anyMatch(fd -> {
          try {
            return Files.readSymbolicLink(fd).equals(file);
          } catch (java.io.IOException e) {
            return false;
          }
        });
      } catch (java.io.IOException e) {
        return false;
      }
    });
  }

  private static List<String> lines(String text) {
    return text.isBlank() ? List.of() : List.of(text.strip().split("\\R"));
  }
}
