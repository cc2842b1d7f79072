package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.testing.MediaFixtures;
import io.temporal.testserver.TestServer;
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
 * {@code spool coordinator} on a Temporal service that Spool did not start, as a cluster is: a
 * port-bound Temporal service in the test's JVM, and the coordinator, a worker and the submitters
 * as separate processes pointed at it with {@code SPOOL_TEMPORAL}. Each process's output is kept
 * under {@code target/roles-logs/TEST}.
 */
class ClusterCoordinatorTest {
  private static final Duration BATCH_LIMIT = Duration.ofSeconds(120);
  private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  @TempDir Path home;
  private SpoolHost host;
  private TestServer.PortBoundTestServer cluster;
  private JobStore store;
  private Path in;
  private Path out;

  @BeforeEach
  void startCluster(TestInfo test) throws Exception {
    host = new SpoolHost(home, Path.of("target", "roles-logs", test.getTestMethod().orElseThrow().getName()));
    cluster = TestServer.createPortBoundServer(host.port());
    store = JobStore.at(home);
    in = Files.createDirectories(dir.resolve("in"));
    out = dir.resolve("out");
  }

  @AfterEach
  void stopCluster() throws Exception {
    host.close();
    store.close();
    cluster.close();
    host.keepRecords();
  }

  @Test
  void aBatchOnAClusterRunsThroughTheCoordinatorAndFinishesWhenTheCoordinatorIsStoppedAndStartedAgain() throws Exception {
    MediaFixtures.sample(in, "first.mp4", 320, 240, 1);
    SpoolHost.Proc coordinator = host.coordinator("--no-workers");
    String service = coordinator.json().get("service").asText();
    host.worker();

    SpoolHost.Proc first = host.spool("batch", "transcode", in.toString(), "--out", out.toString(), "--cpu", "1", "--json");
    assertThat(first.exit(BATCH_LIMIT)).as("batch exit; stderr: %s", first.stderr()).isZero();
    assertThat(first.json().get("succeeded").asInt()).isEqualTo(1);

    Path more = Files.createDirectories(dir.resolve("more"));
    for (int i = 0; i < 3; i++) {
      MediaFixtures.sample(more, "clip" + i + ".mp4", 640, 360, 3);
    }
    SpoolHost.Proc second = host.spool("batch", "transcode", more.toString(), "--out", out.toString(), "--cpu", "1",
        "--preset", "archive", "--json");
    CliProcess.awaitFfmpeg(more.toString(), 1);
    assertThat(host.terminate(coordinator, STOP_LIMIT)).as("coordinator exit after SIGTERM").isZero();
    assertThat(second.process().isAlive()).as("the batch runs on without a coordinator").isTrue();
    JsonNode again = host.coordinator("--no-workers").json();

    assertThat(again.get("service").asText()).as("the service's name after the restart").isEqualTo(service);
    assertThat(again.get("resumedBatches")).as("batches started again (the cluster kept their workflows)").isEmpty();
    assertThat(second.exit(BATCH_LIMIT)).as("batch exit; stderr: %s", second.stderr()).isZero();
    JsonNode report = second.json();
    assertThat(report.get("succeeded").asInt()).isEqualTo(3);
    List<JobRecord> jobs = store.jobsOfBatch(report.get("batchId").asText(), 0, Integer.MAX_VALUE);
    assertThat(jobs).hasSize(3).allSatisfy(j -> {
      assertThat(j.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(j.outcome().attempts()).as("attempts of %s", j.id()).isEqualTo(1);
    });
  }

  @Test
  void twoCoordinatorsOnOneNamespaceShareItsBatchesAndEitherMayStop() throws Exception {
    for (int i = 0; i < 3; i++) {
      MediaFixtures.sample(in, "clip" + i + ".mp4", 640, 360, 3);
    }
    SpoolHost.Proc one = host.coordinator("--no-workers");
    SpoolHost.Proc two = host.coordinator("--no-workers");
    assertThat(two.json().get("service").asText()).as("the second coordinator's service")
        .isEqualTo(one.json().get("service").asText());
    host.worker();

    SpoolHost.Proc submit = host.spool("batch", "transcode", in.toString(), "--out", out.toString(), "--cpu", "1",
        "--preset", "archive", "--json");
    CliProcess.awaitFfmpeg(in.toString(), 1);
    assertThat(host.terminate(one, STOP_LIMIT)).as("first coordinator exit after SIGTERM").isZero();
    assertThat(submit.process().isAlive()).as("the batch runs on after the first coordinator stopped").isTrue();

    assertThat(submit.exit(BATCH_LIMIT)).as("batch exit; stderr: %s", submit.stderr()).isZero();
    assertThat(submit.json().get("succeeded").asInt()).isEqualTo(3);
    assertThat(two.process().isAlive()).as("the second coordinator runs on").isTrue();
  }
}
