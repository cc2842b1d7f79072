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
    start(S3Input.URL);
    engine.volumes().createS3("media", new S3Location("jobs", prefix = "run-" + System.nanoTime(), s3.endpoint(), true, null));
  }

  private void start(S3Input mode) {
    engine = SpoolEngine.embedded(EngineConfig.newBuilder(home).cpuCores(2).s3Input(mode).build());
  }

  @Test
  void aTranscodeReadsItsS3InputThroughAPresignedUrlAndCopiesNothingIntoScratch() throws Exception {
    engine.volumes().open("media").put(MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2), "raw/clip.mp4");

    JobOutcome o = engine.remote(TranscodeJob.spec("media:raw/clip.mp4", "media:web/clip.mp4",
        TranscodeOptions.newBuilder().height(120).build(), Resources.newBuilder().cpu(1).build()));

    assertThat(o.state()).as("%s", o.error()).isEqualTo(JobState.SUCCEEDED);
    assertThat(o.details()).containsEntry("inputRead", "url").containsEntry("size", "160x120");
    Path out = dir.resolve("out.mp4");
    Files.write(out, s3.content("jobs", prefix + "/web/clip.mp4"));
    assertThat(MediaFixtures.independentStreams(out)).extracting(m -> m.get("codec_type")).containsExactly("video", "audio");
    try (Stream<Path> scratch = Files.list(home.resolve("scratch"))) {
      assertThat(scratch).isEmpty();
    }
  }

  @Test
  void anAudioExtractionReadsItsS3InputThroughAPresignedUrl() throws Exception {
    engine.volumes().open("media").put(MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2), "raw/clip.mp4");

    JobOutcome o = engine.remote(AudioExtractJob.spec("media:raw/clip.mp4", "media:audio/clip.wav", null,
        Resources.newBuilder().cpu(1).build(), false));

    assertThat(o.state()).as("%s", o.error()).isEqualTo(JobState.SUCCEEDED);
    assertThat(o.details()).containsEntry("inputRead", "url");
    Path wav = dir.resolve("clip.wav");
    Files.write(wav, s3.content("jobs", prefix + "/audio/clip.wav"));
    assertThat(MediaFixtures.independentStreams(wav)).extracting(m -> m.get("codec_type")).containsExactly("audio");
  }

  @Test
  void aTranscodeThatMeasuresItsQualityReadsACopyOfItsS3Input() throws Exception {
    engine.volumes().open("media").put(MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2), "raw/clip.mp4");

    JobOutcome o = engine.remote(TranscodeJob.measuringQuality(TranscodeJob.spec("media:raw/clip.mp4",
        "media:web/clip.mp4", TranscodeOptions.newBuilder().height(120).build(), Resources.newBuilder().cpu(1).build())));

    assertThat(o.state()).as("%s", o.error()).isEqualTo(JobState.SUCCEEDED);
    assertThat(o.details()).containsEntry("inputRead", "copy").containsKey("quality.psnrMean");
  }

  @Test
  void withTheCopySettingATranscodeReadsACopyOfItsS3InputInScratch() throws Exception {
    engine.close();
    start(S3Input.COPY);
    engine.volumes().open("media").put(MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2), "raw/clip.mp4");

    JobOutcome o = engine.remote(TranscodeJob.spec("media:raw/clip.mp4", "media:web/clip.mp4",
        TranscodeOptions.newBuilder().height(120).build(), Resources.newBuilder().cpu(1).build()));

    assertThat(o.state()).as("%s", o.error()).isEqualTo(JobState.SUCCEEDED);
    assertThat(o.details()).containsEntry("inputRead", "copy").containsEntry("size", "160x120");
    assertThat(S3Input.parse(" Copy ")).isEqualTo(S3Input.COPY);
    assertThat(S3Input.parse(null)).isEqualTo(S3Input.URL);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> S3Input.parse("stream"))
        .hasMessageContaining(S3Input.ENV).hasMessageContaining("'stream'");
  }

  @Test
  void aCorruptS3InputFailsOnceAsInvalidAndNothingShownCarriesItsPresignedUrl() throws Exception {
    Path bad = dir.resolve("bad.mp4");
    byte[] noise = new byte[256 * 1024];
    new java.util.Random(7).nextBytes(noise);
    Files.write(bad, noise);
    engine.volumes().open("media").put(bad, "raw/bad.mp4");

    JobOutcome o = engine.remote(TranscodeJob.spec("media:raw/bad.mp4", "media:web/bad.mp4",
        TranscodeOptions.newBuilder().build(), Resources.newBuilder().cpu(1).build()));

    assertThat(o.state()).isEqualTo(JobState.FAILED);
    assertThat(o.errorCode()).isEqualTo("INVALID_INPUT");
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.error()).contains("bad.mp4").contains("Invalid data found when processing input")
        .doesNotContain("X-Amz").doesNotContainIgnoringCase("http").doesNotContain("\n");
    String record = io.spool.media.internal.Json.MAPPER.writeValueAsString(engine.store().job(o.jobId()).orElseThrow());
    assertThat(record).contains("bad.mp4").doesNotContainIgnoringCase("X-Amz").doesNotContain("Signature")
        .doesNotContain(S3Server.ACCESS_KEY);
    // The volume's endpoint is in the record by design (workers elsewhere need it); no other URL is.
    assertThat(record.replace(s3.endpoint().toString().replaceAll("/$", ""), "ENDPOINT")).doesNotContainIgnoringCase("http");
    assertThat(s3.keys("jobs").stream().filter(k -> k.startsWith(prefix + "/"))).containsExactly(prefix + "/raw/bad.mp4");

    engine.close();
    start(S3Input.COPY);
    JobOutcome copied = engine.remote(TranscodeJob.spec("media:raw/bad.mp4", "media:web/bad.mp4",
        TranscodeOptions.newBuilder().build(), Resources.newBuilder().cpu(1).build()));
    assertThat(copied.errorCode()).isEqualTo(o.errorCode());
    // The reason a copy in scratch gives; ffprobe reading a local .mp4 adds what its MP4 reader missed.
    assertThat(copied.error()).startsWith(o.error());
  }

  @Test
  void aMissingS3InputFailsOnceAsNotFound() {
    JobOutcome o = engine.remote(TranscodeJob.spec("media:raw/none.mp4", "media:web/none.mp4",
        TranscodeOptions.newBuilder().build(), Resources.newBuilder().cpu(1).build()));

    assertThat(o.state()).isEqualTo(JobState.FAILED);
    assertThat(o.errorCode()).isEqualTo("INPUT_NOT_FOUND");
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.error()).contains("raw/none.mp4").doesNotContain("X-Amz");
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
    assertThat(o.details()).containsEntry("inputRead", "url");
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
