package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.Preset;
import io.spool.media.TranscodeOptions;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import io.spool.volumes.S3Location;
import io.spool.volumes.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs whose inputs and outputs are in an S3 volume (a real S3-compatible server in this JVM). */
class S3VolumeJobsTest {
  private static S3Server s3;

  @TempDir Path home;
  @TempDir Path dir;
  private SpoolEngine engine;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Server.start();
    s3.createBucket("jobs");
    S3Server.useCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
  }

  @AfterAll
  static void stopServer() {
    s3.close();
  }

  @BeforeEach
  void start() {
    engine = SpoolEngine.embedded(EngineConfig.newBuilder(home).cpuCores(2).build());
    engine.volumes().createS3("media", new S3Location("jobs", "cancel", s3.endpoint(), true, null));
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  @Test
  void aCancelledTranscodeIntoAnS3VolumeLeavesNoObjectNoPartsAndNoScratch() throws Exception {
    Path in = MediaFixtures.sample(dir, "long.mp4", 1280, 720, 20);
    engine.volumes().open("media").put(in, "raw/long.mp4");
    JobSpec job = TranscodeJob.spec("media:raw/long.mp4", "media:web/long.mp4",
        TranscodeOptions.newBuilder().preset(Preset.ARCHIVE).build(), Resources.DEFAULT);

    BatchHandle b = engine.submit("transcode", List.of(job), 1);
    Eventually.await(Duration.ofSeconds(20), "the transcode under way",
        () -> b.running().stream().anyMatch(r -> r.fraction() > 0));
    b.cancel();
    BatchRecord rec = b.await();

    assertThat(rec.cancelled()).isEqualTo(1);
    assertThat(s3.keys("jobs")).containsExactly("cancel/raw/long.mp4");
    assertThat(s3.unfinishedUploads("jobs")).isEmpty();
    assertThat(MediaFixtures.ffmpegProcessesMentioning(home.toString())).isEmpty();
    try (Stream<Path> scratch = Files.list(home.resolve("scratch"))) {
      assertThat(scratch).isEmpty();
    }
  }
}
