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
  /** The volume's key prefix, one for each test, as the server outlives them. */
  private String prefix;

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
    engine.volumes().createS3("media", new S3Location("jobs", prefix = "run-" + System.nanoTime(), s3.endpoint(), true, null));
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  @Test
  void aChunkedTranscodeFromAndIntoAnS3VolumeMatchesASinglePassAndLeavesNoChunksBehind() throws Exception {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 160, 120, 6);
    engine.volumes().createS3("parts", new S3Location("jobs", "chunked", s3.endpoint(), true, null));
    engine.volumes().open("parts").put(in, "raw/clip.mp4");
    Resources one = Resources.newBuilder().cpu(1).build();

    JobOutcome single = engine.remote(TranscodeJob.spec("parts:raw/clip.mp4", "parts:web/single.mp4",
        TranscodeOptions.newBuilder().build(), one));
    JobOutcome chunked = ChunkedTranscode.newBuilder("parts:raw/clip.mp4", "parts:web/clip.mp4").resources(one)
        .chunkSeconds(2).build().run(engine, io.spool.media.ProgressListener.NONE);

    assertThat(single.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(chunked.state()).as(chunked.error()).isEqualTo(JobState.SUCCEEDED);
    assertThat(Integer.parseInt(chunked.details().get("chunks"))).isGreaterThanOrEqualTo(3);
    assertThat(s3.keys("jobs")).filteredOn(k -> k.startsWith("chunked/"))
        .containsExactlyInAnyOrder("chunked/raw/clip.mp4", "chunked/web/single.mp4", "chunked/web/clip.mp4"); // no chunks left
    assertThat(s3.unfinishedUploads("jobs")).isEmpty();
    Path a = dir.resolve("single.mp4");
    Path b = dir.resolve("chunked.mp4");
    Files.write(a, s3.content("jobs", "chunked/web/single.mp4"));
    Files.write(b, s3.content("jobs", "chunked/web/clip.mp4"));
    assertThat(frames(b)).isEqualTo(frames(a)).isEqualTo(150);
    assertThat(MediaFixtures.independentStreams(b)).extracting(m -> m.get("codec_type")).containsExactly("video", "audio");
  }

  private static long frames(Path file) {
    return Long.parseLong(MediaFixtures.run(List.of("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
        "-show_entries", "stream=nb_read_frames", "-of", "default=nw=1:nk=1", file.toString())).strip());
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
    assertThat(s3.keys("jobs").stream().filter(k -> k.startsWith(prefix + "/"))).containsExactly(prefix + "/raw/long.mp4");
    assertThat(s3.unfinishedUploads("jobs")).isEmpty();
    assertThat(MediaFixtures.ffmpegProcessesMentioning(home.toString())).isEmpty();
    try (Stream<Path> scratch = Files.list(home.resolve("scratch"))) {
      assertThat(scratch).isEmpty();
    }
  }

  @Test
  void anHlsLadderIntoAnS3VolumeIsPublishedWholeAndASecondRunWithoutOverwriteIsRefused() throws Exception {
    engine.volumes().open("media").put(MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2), "raw/clip.mp4");
    io.spool.media.hls.HlsOptions options = io.spool.media.hls.HlsOptions.newBuilder().heights(List.of(240, 144))
        .segmentSeconds(1).build();
    Resources one = Resources.newBuilder().cpu(1).build();

    JobOutcome o = engine.remote(HlsJob.spec("media:raw/clip.mp4", "media:hls/clip", options, one, false));
    JobOutcome again = engine.remote(HlsJob.spec("media:raw/clip.mp4", "media:hls/clip", options, one, false));

    assertThat(o.state()).as("%s", o.error()).isEqualTo(JobState.SUCCEEDED);
    List<String> keys = s3.keys("jobs").stream().filter(k -> k.startsWith(prefix + "/hls/clip/")).toList();
    assertThat(keys).contains(prefix + "/hls/clip/" + io.spool.media.hls.HlsPackager.MASTER);
    String master = new String(s3.content("jobs", prefix + "/hls/clip/" + io.spool.media.hls.HlsPackager.MASTER),
        java.nio.charset.StandardCharsets.UTF_8);
    List<String> variants = master.lines().filter(l -> l.endsWith(".m3u8")).toList();
    assertThat(variants).hasSize(2);
    for (String v : variants) {
      String playlist = new String(s3.content("jobs", prefix + "/hls/clip/" + v), java.nio.charset.StandardCharsets.UTF_8);
      String base = v.contains("/") ? v.substring(0, v.lastIndexOf('/') + 1) : "";
      playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
          .forEach(seg -> assertThat(keys).as("segment of %s", v).contains(prefix + "/hls/clip/" + base + seg));
    }
    assertThat(again.state()).isEqualTo(JobState.FAILED);
    assertThat(again.errorCode()).isEqualTo("OUTPUT_EXISTS");
    assertThat(s3.unfinishedUploads("jobs")).isEmpty();
    try (Stream<Path> scratch = Files.list(home.resolve("scratch"))) {
      assertThat(scratch).isEmpty();
    }
  }
}
