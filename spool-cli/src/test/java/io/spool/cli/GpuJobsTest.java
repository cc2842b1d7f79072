package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.JobRecord;
import io.spool.engine.JobStore;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs that require a GPU, on this machine, which has none: NVENC is listed by its ffmpeg but
 * never proven, so no worker here serves the gpu queue. (A job that only prefers a GPU runs on the
 * CPU and says so: EngineTest and RolesTest.)
 */
class GpuJobsTest {
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @TempDir Path home;
  private SpoolHost host;
  private JobStore store;

  @BeforeEach
  void startHost(TestInfo test) throws Exception {
    host = new SpoolHost(home, Path.of("target", "gpu-logs", test.getTestMethod().orElseThrow().getName()));
    store = JobStore.at(home);
  }

  @AfterEach
  void stopHost() throws Exception {
    host.close();
    store.close();
  }

  @Test
  void aJobThatRequiresAGpuWaitsOnTheGpuQueueAndSaysWhyWhileNoGpuWorkerServesIt() throws Exception {
    Path clip = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 1);
    Path out = dir.resolve("clip.gpu.mp4");
    host.devServer("--workers", "1"); // its worker proved no NVENC: it serves the cpu queue only

    SpoolHost.Proc transcode = host.spool("transcode", clip.toString(), out.toString(), "--require-gpu", "--cpu", "1");

    String notice = Eventually.await(COMMAND_LIMIT, "the transcode's notice that its job waits", () -> transcode.stderr()
        .lines().filter(l -> l.contains("waiting for a GPU worker")).findFirst().orElse(null), Objects::nonNull);
    assertThat(notice).contains("no live worker serves the gpu queue");
    String jobId = notice.replaceFirst(".*job (\\S+) is waiting.*", "$1");
    JobRecord job = store.requireJob(jobId);
    assertThat(job.resources().queue()).isEqualTo("gpu");
    assertThat(job.resources().gpuRequired()).isTrue();

    SpoolHost.Proc show = host.spool("jobs", "show", jobId, "--json");
    assertThat(show.exit(COMMAND_LIMIT)).as("jobs show; stderr: %s", show.stderr()).isZero();
    JsonNode shown = show.json();
    assertThat(shown.get("waiting").asText()).startsWith("waiting for a GPU worker");
    assertThat(shown.get("attempts")).as("no worker took it").isEmpty();
    assertThat(transcode.process().isAlive()).as("the transcode still waits for its job").isTrue();
    assertThat(out).doesNotExist();
  }

  @Test
  void anEmbeddedEngineWithoutNvencRefusesAJobThatRequiresAGpu() {
    Path clip = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 1);
    Path out = dir.resolve("clip.gpu.mp4");
    System.setProperty("spool.home", home.toString());

    Cli.Result r = Cli.run("transcode", clip.toString(), out.toString(), "--require-gpu", "--quiet");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(r.err()).contains("requires a GPU", "proved no NVENC", "[ENVIRONMENT]");
    assertThat(out).doesNotExist();
  }
}
