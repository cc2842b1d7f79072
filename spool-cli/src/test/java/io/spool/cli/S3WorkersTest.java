package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.engine.AttemptRecord;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.testing.MediaFixtures;
import io.spool.volumes.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch between S3 volume paths run by workers on "other hosts": a dev-server and two worker
 * processes, each worker with a Spool home of its own that records no volume, sharing only the
 * Temporal service and an S3-compatible server (a real one, on a socket).
 */
class S3WorkersTest {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final String BUCKET = "cluster";
  private static S3Server s3;

  @TempDir Path dir;
  @TempDir Path home;
  @TempDir Path homeA;
  @TempDir Path homeB;
  private SpoolHost host;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Server.start();
    s3.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() {
    s3.close();
  }

  @BeforeEach
  void startHost(TestInfo test) throws Exception {
    host = new SpoolHost(home, Path.of("target", "roles-logs", test.getTestMethod().orElseThrow().getName()))
        .env("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY).env("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY)
        .env("AWS_REGION", "us-east-1");
  }

  @AfterEach
  void stopHost() throws Exception {
    host.close();
    host.keepRecords();
  }

  @Test
  void workersWhoseHomesDoNotRecordAnS3VolumeRunABatchBetweenItsPaths() throws Exception {
    host.devServer("--no-workers");
    ok(host.spool("volume", "create", "media", "--s3", "s3://" + BUCKET + "/shared", "--endpoint", s3.endpoint().toString(),
        "--path-style"));
    List<String> names = List.of("a", "b", "c", "d");
    for (String n : names) {
      ok(host.spool("volume", "put", MediaFixtures.sample(dir, n + ".mp4", 320, 240, 2).toString(), "media:in/"));
    }
    SpoolHost.Worker one = host.workerAt(homeA);
    SpoolHost.Worker two = host.workerAt(homeB);

    SpoolHost.Proc batch = host.spool("batch", "transcode", "media:in/", "--out", "media:out/", "--cpu", "1", "--json");

    assertThat(batch.exit(LIMIT)).as("batch exit; stderr: %s", batch.stderr()).isZero();
    String batchId = batch.json().get("batchId").asText();
    List<JobRecord> jobs;
    try (JobStore store = JobStore.at(home)) {
      jobs = store.jobsOfBatch(batchId, 0, 100);
    }
    assertThat(jobs).hasSize(names.size()).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
    Set<String> ranBy = jobs.stream().flatMap(j -> j.outcome().attemptLog().stream()).map(AttemptRecord::worker)
        .map(w -> w.id()).collect(Collectors.toSet());
    assertThat(ranBy).as("the workers that ran attempts").containsExactlyInAnyOrder(one.id(), two.id());
    assertThat(s3.keys(BUCKET)).containsExactlyInAnyOrder("shared/in/a.mp4", "shared/in/b.mp4", "shared/in/c.mp4",
        "shared/in/d.mp4", "shared/out/a.web.mp4", "shared/out/b.web.mp4", "shared/out/c.web.mp4", "shared/out/d.web.mp4");
    assertThat(s3.unfinishedUploads(BUCKET)).isEmpty();
    for (String n : names) {
      Path back = dir.resolve(n + ".back.mp4");
      Files.write(back, s3.content(BUCKET, "shared/out/" + n + ".web.mp4"));
      assertThat(MediaFixtures.independentStreams(back)).extracting(s -> s.get("codec_type")).contains("video");
      assertThat(MediaFixtures.independentDuration(back)).isBetween(1.8, 2.2);
    }
    try (var workerFiles = Files.walk(homeA.resolve("volumes")).filter(Files::isRegularFile)) {
      assertThat(workerFiles).as("a worker records no volume").isEmpty();
    } catch (java.nio.file.NoSuchFileException e) {
      // no volumes folder at all
    }
  }

  private static void ok(SpoolHost.Proc p) throws InterruptedException {
    assertThat(p.exit(LIMIT)).as("%s; stderr: %s", p, p.stderr()).isZero();
  }
}
