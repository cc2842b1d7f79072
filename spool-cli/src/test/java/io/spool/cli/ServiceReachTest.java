package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
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
 * Commands pointed at a shared Temporal service that is not there (yet), or that they cannot talk
 * to: real processes, a real port with nothing on it, a real dev-server started later.
 */
class ServiceReachTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @TempDir Path home;
  private SpoolHost host;
  private Path in;
  private Path out;

  @BeforeEach
  void startHost(TestInfo test) throws Exception {
    host = new SpoolHost(home, Path.of("target", "roles-logs", test.getTestMethod().orElseThrow().getName()));
    in = Files.createDirectories(dir.resolve("in"));
    out = dir.resolve("out");
  }

  @AfterEach
  void stopHost() throws Exception {
    host.close();
    host.keepRecords();
  }

  @Test
  void submittingWhereNoServiceAnswersFailsInSecondsWithOneLineAndWritesNothing() throws Exception {
    Path clip = MediaFixtures.sample(in, "clip.mp4", 320, 240, 1);
    String expected = "spool: no Temporal service answers at " + host.target()
        + " (start one with `spool dev-server`, or unset SPOOL_TEMPORAL) [ENVIRONMENT]";

    SpoolHost.Proc batch = host.spool("batch", "transcode", in.toString(), "--out", out.toString());
    assertThat(batch.exit(LIMIT)).as("batch exit; stderr: %s", batch.stderr()).isEqualTo(ExitCodes.ENVIRONMENT);
    long t0 = System.nanoTime(); // the first command also probed this host's ffmpeg; this one reads the cache
    SpoolHost.Proc again = host.spool("batch", "transcode", in.toString(), "--out", out.toString());
    assertThat(again.exit(LIMIT)).isEqualTo(ExitCodes.ENVIRONMENT);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    SpoolHost.Proc one = host.spool("transcode", clip.toString(), dir.resolve("clip.mp4").toString());
    assertThat(one.exit(LIMIT)).isEqualTo(ExitCodes.ENVIRONMENT);

    for (SpoolHost.Proc p : List.of(batch, again, one)) {
      assertThat(lines(p.stderr())).as("stderr of %s", p).containsExactly(expected);
    }
    assertThat(took).as("time to fail (a JVM's start included)").isLessThan(Duration.ofSeconds(8));
    assertThat(out).as("the --out folder (no results file)").doesNotExist();
    assertThat(dir.resolve("clip.mp4")).doesNotExist();
    try (JobStore store = JobStore.at(home)) {
      assertThat(store.batches()).as("batch records").isEmpty();
      for (JobState s : JobState.values()) {
        assertThat(store.jobs(s)).as("%s job records", s).isEmpty();
      }
    }
  }

  @Test
  void aWorkerStartedBeforeItsServiceWaitsForItSayingSoOnceAndThenRunsJobs() throws Exception {
    MediaFixtures.sample(in, "clip.mp4", 320, 240, 1);
    SpoolHost.Proc worker = host.spool("worker", "--cpu", "1");
    String waiting = "spool worker: waiting for the Temporal service at " + host.target();
    Eventually.await(LIMIT, "the worker to say it waits", () -> worker.stderr().contains(waiting)
        || !worker.process().isAlive());
    assertThat(worker.process().isAlive()).as("the worker; stderr: %s", worker.stderr()).isTrue();

    host.devServer("--no-workers");
    SpoolHost.Proc batch = host.spool("batch", "transcode", in.toString(), "--out", out.toString(), "--json");

    assertThat(batch.exit(LIMIT)).as("batch exit; stderr: %s", batch.stderr()).isZero();
    assertThat(batch.json().get("succeeded").asInt()).isEqualTo(1);
    String id = worker.stdout().replaceAll("(?s)^spool worker (\\S+):.*", "$1");
    try (JobStore store = JobStore.at(home)) {
      String batchId = batch.json().get("batchId").asText();
      assertThat(store.jobsOfBatch(batchId, 0, 1).get(0).outcome().worker().orElseThrow().id()).isEqualTo(id);
    }
    CliProcess.signal(worker.process(), "TERM");
    assertThat(worker.exit(LIMIT)).isZero();
    assertThat(lines(worker.stderr())).as("the worker's stderr").contains(waiting).doesNotHaveDuplicates()
        .noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));
  }

  @Test
  void aWorkerThatCannotTalkTlsToItsServiceSaysSoInOneLineAndExits4() throws Exception {
    host.devServer("--no-workers"); // plain text, no TLS
    Path ca = dir.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Path keys = dir.resolve("keys.p12");
    MediaFixtures.run(List.of(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=spool test CA",
        "-validity", "2", "-keystore", keys.toString(), "-storepass", "secret1"));
    MediaFixtures.run(List.of(keytool, "-exportcert", "-rfc", "-alias", "ca", "-keystore", keys.toString(), "-storepass",
        "secret1", "-file", ca.toString()));
    Files.writeString(home.resolve("config.json"), "{\"temporal\": {\"tls\": {\"ca\": \"" + ca + "\"}}}");

    SpoolHost.Proc worker = host.spool("worker", "--cpu", "1");

    assertThat(worker.exit(LIMIT)).as("worker exit; stderr: %s", worker.stderr()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(lines(worker.stderr())).singleElement().asString()
        .startsWith("spool: TLS with the Temporal service at " + host.target() + " failed")
        .endsWith("[ENVIRONMENT]");
  }

  private static List<String> lines(String text) {
    return text.isBlank() ? List.of() : List.of(text.strip().split("\\R"));
  }
}
