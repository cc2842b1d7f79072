package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.ErrorCode;
import io.spool.media.OutputExistsException;
import io.spool.media.Preset;
import io.spool.media.ProgressListener;
import io.spool.media.SpoolException;
import io.spool.media.TranscodeOptions;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunked transcode through the engine: the plan, chunk and join jobs, embedded and on a
 * dev-server, a chunk that fails for good, and a resumed run that encodes only what it lacks.
 */
class ChunkedTranscodeTest {
  @TempDir Path home;
  @TempDir Path dir;

  private EngineConfig config() {
    return EngineConfig.newBuilder(home).cpuCores(2).build();
  }

  private static Resources oneCore(int retries) {
    return Resources.newBuilder().cpu(1).timeout(Duration.ofMinutes(5))
        .retries(new RetryPolicy(retries, Duration.ofMillis(100), 2.0)).build();
  }

  @Test
  void aChunkedTranscodeRunsAsPlanChunkAndJoinJobsAndMatchesASinglePass() {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 160, 120, 12);
    Path out = dir.resolve("out/clip.mp4");
    Path single = dir.resolve("single.mp4");
    List<Double> progress = new CopyOnWriteArrayList<>();
    JobOutcome o;
    try (SpoolEngine engine = SpoolEngine.embedded(config())) {
      assertThat(engine.remote(TranscodeJob.spec(in.toString(), single.toString(), TranscodeOptions.newBuilder().build(),
          oneCore(0))).state()).isEqualTo(JobState.SUCCEEDED);

      o = ChunkedTranscode.newBuilder(in.toString(), out.toString()).resources(oneCore(0)).chunkSeconds(3).build()
          .run(engine, p -> progress.add(p.fraction()));

      List<String> types = engine.store().jobs((JobState) null).stream().map(JobRecord::type).toList();
      assertThat(types).contains(ChunkPlanJob.NAME, ChunkEncodeJob.NAME, ChunkJoinJob.NAME);
    }

    assertThat(o.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(o.type()).isEqualTo(ChunkJoinJob.NAME);
    assertThat(Integer.parseInt(o.details().get("chunks"))).isGreaterThanOrEqualTo(3);
    assertThat(o.details()).containsEntry("streams", "h264/aac").containsEntry("reusedChunks", "0");
    assertThat(decodedFrames(out)).isEqualTo(decodedFrames(single)).isEqualTo(300);
    assertThat(o.metrics().cpuSeconds()).isPositive();
    assertThat(o.cost().totalUsd()).isPositive();
    assertThat(o.mediaSeconds()).isBetween(11.9, 12.1);
    assertThat(ChunkedTranscode.workFolder(out.toString())).doesNotExist();
    assertThat(progress).isNotEmpty().allMatch(f -> f >= 0 && f <= 1);
  }

  @Test
  void aChunkedTranscodeOfVideoWithoutAudioRunsTheSameOnADevServer() throws Exception {
    Path in = dir.resolve("video-only.mp4");
    MediaFixtures.run(java.util.List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=2.5",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-an", in.toString()));
    Path out = dir.resolve("video-only.web.mp4");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    JobOutcome o;
    try (DevServer server = DevServer.start(config(), port, 2);
        SpoolEngine engine = SpoolEngine.connect(config(), TemporalSettings.of("localhost:" + server.port()))) {
      o = ChunkedTranscode.newBuilder(in.toString(), out.toString()).resources(oneCore(0)).chunkSeconds(1)
          .options(TranscodeOptions.newBuilder().height(240).build()).build()
          .run(engine, ProgressListener.NONE);
    }

    assertThat(o.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(Integer.parseInt(o.details().get("chunks"))).isEqualTo(2);
    assertThat(o.details()).containsEntry("streams", "h264");
    assertThat(decodedFrames(out)).isEqualTo(75);
    assertThat(ChunkedTranscode.workFolder(out.toString())).doesNotExist();
  }

  @Test
  void aKilledChunkFailsTheWholeTranscodeWithItsReasonAndAResumedRunEncodesOnlyTheChunksItLacks() throws Exception {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 640, 360, 16);
    Path out = dir.resolve("clip.archive.mp4");
    Path work = ChunkedTranscode.workFolder(out.toString());
    TranscodeOptions slow = TranscodeOptions.newBuilder().preset(Preset.ARCHIVE).build();
    try (SpoolEngine engine = SpoolEngine.embedded(config())) {
      ChunkedTranscode transcode = ChunkedTranscode.newBuilder(in.toString(), out.toString()).options(slow)
          .resources(oneCore(0)).chunkSeconds(4).build();
      CompletableFuture<JobOutcome> run = CompletableFuture.supplyAsync(() -> transcode.run(engine, ProgressListener.NONE));
      // Two jobs run at once (the audio's among them): the last chunk starts once two are done.
      List<Long> last = Eventually.await(Duration.ofSeconds(90), "the last chunk's ffmpeg",
          () -> MediaFixtures.ffmpegProcessesMentioning("-v0003.mp4"), pids -> !pids.isEmpty());
      ProcessHandle.of(last.get(0)).ifPresent(ProcessHandle::destroyForcibly);

      assertThatThrownBy(run::join).hasCauseInstanceOf(SpoolException.class).cause()
          .hasMessageContaining("chunk 4 of 4 (from 12.00 s) failed").hasMessageContaining("ran out of memory")
          .satisfies(e -> assertThat(((SpoolException) e).code()).isEqualTo(ErrorCode.OUT_OF_MEMORY));
      assertThat(out).doesNotExist();
      assertThat(MediaFixtures.ffmpegProcessesMentioning(dir.toString())).isEmpty();
      List<Path> kept = chunkFiles(work);
      assertThat(kept).extracting(p -> p.getFileName().toString().substring(13))
          .contains("v0000.mp4").doesNotContain("v0003.mp4");

      JobOutcome resumed = ChunkedTranscode.newBuilder(in.toString(), out.toString()).options(slow)
          .resources(oneCore(0)).chunkSeconds(4).resume(true).build().run(engine, ProgressListener.NONE);

      assertThat(resumed.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(resumed.details()).containsEntry("reusedChunks", Integer.toString(kept.size()));
      assertThat(decodedFrames(out)).isEqualTo(400);
      assertThat(work).doesNotExist();
    }
  }

  @Test
  void aKilledChunkIsRetriedOnItsOwn() throws Exception {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 640, 360, 8);
    Path out = dir.resolve("clip.archive.mp4");
    try (SpoolEngine engine = SpoolEngine.embedded(config())) {
      ChunkedTranscode transcode = ChunkedTranscode.newBuilder(in.toString(), out.toString())
          .options(TranscodeOptions.newBuilder().preset(Preset.ARCHIVE).build()).resources(oneCore(1)).chunkSeconds(4)
          .build();
      CompletableFuture<JobOutcome> run = CompletableFuture.supplyAsync(() -> transcode.run(engine, ProgressListener.NONE));
      List<Long> second = Eventually.await(Duration.ofSeconds(60), "the second chunk's ffmpeg",
          () -> MediaFixtures.ffmpegProcessesMentioning("-v0001.mp4"), pids -> !pids.isEmpty());
      ProcessHandle.of(second.get(0)).ifPresent(ProcessHandle::destroyForcibly);

      assertThat(run.join().state()).isEqualTo(JobState.SUCCEEDED);
      List<JobRecord> chunks = engine.store().jobs(JobState.SUCCEEDED).stream()
          .filter(r -> r.type().equals(ChunkEncodeJob.NAME)).toList();
      assertThat(chunks).extracting(r -> r.outcome().attempts()).containsExactlyInAnyOrder(1, 2, 1);
      assertThat(decodedFrames(out)).isEqualTo(200);
    }
  }

  @Test
  void anOutputThatExistsIsRefusedBeforeAnyJobRuns() throws Exception {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2);
    Path out = Files.writeString(dir.resolve("taken.mp4"), "mine");
    try (SpoolEngine engine = SpoolEngine.embedded(config())) {
      assertThatThrownBy(() -> ChunkedTranscode.newBuilder(in.toString(), out.toString()).build()
          .run(engine, ProgressListener.NONE)).isInstanceOf(OutputExistsException.class);
      assertThat(engine.store().jobs((JobState) null)).isEmpty();
    }
    assertThat(Files.readString(out)).isEqualTo("mine");
  }

  private static List<Path> chunkFiles(Path work) throws Exception {
    if (!Files.isDirectory(work)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(work)) {
      return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{12}-(v[0-9]+|audio)\\.mp4")).toList();
    }
  }

  private static long decodedFrames(Path file) {
    return Long.parseLong(MediaFixtures.run(List.of("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
        "-show_entries", "stream=nb_read_frames", "-of", "default=nw=1:nk=1", file.toString())).strip());
  }
}
