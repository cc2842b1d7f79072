package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunked transcode against a single pass of the same input and options: the same frames
 * (decoded and counted), the same quality against the source, the same audio, in sync. The inputs
 * are the ones that make cutting hard: open GOPs, variable frame rate, B-frames behind an edit list.
 */
class ChunkedTranscoderTest {
  private static final Pattern PSNR = Pattern.compile("PSNR .*average:([0-9.]+|inf)");
  /** Larger inputs are scaled down: a chunk's frames do not depend on their size, the test's time does. */
  private static final TranscodeOptions SMALL = TranscodeOptions.newBuilder().height(240).build();
  private final Toolchain tools = MediaFixtures.tools();
  @TempDir Path dir;

  /** What was compared: the two outputs' facts. */
  private record Compared(ChunkPlan plan, Facts single, Facts chunked) {}

  private record Facts(long frames, double psnr, double videoStart, double audioStart, double audioDuration) {}

  @Test
  void aFortySecondClipInFourChunksHasTheSinglePassFramesQualityAndAudio() {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 160, 120, 40);

    Compared c = compare(in, 10);

    assertThat(c.plan().chunks()).hasSize(4);
    assertSameAsSinglePass(c, 48000);
    assertThat(c.chunked().frames()).isEqualTo(1000);
  }

  @Test
  void anOpenGopMpeg2TransportStreamIsCutWithoutLosingTheFramesBeforeEachKeyframe() {
    Path in = dir.resolve("open-gop.ts");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=12",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=12", "-c:v", "mpeg2video", "-q:v", "4",
        "-g", "12", "-bf", "2", "-flags", "-cgop", "-c:a", "mp2", "-b:a", "128k", in.toString()));

    Compared c = compare(in, 3);

    assertThat(c.plan().chunks()).hasSizeGreaterThanOrEqualTo(3);
    assertSameAsSinglePass(c, 48000);
    assertThat(c.chunked().frames()).isEqualTo(300);
  }

  @Test
  void softTelecinedMpeg2WithAudioAheadOfVideoKeepsTheSinglePassFrames() {
    Compared c = compare(MediaFixtures.media("telecined_soft_mpeg2_ac3_480.ts"), 3, SMALL);

    assertThat(c.plan().chunks()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(c.plan().frameRate()).isEqualTo(Rational.of(30000, 1001));
    assertSameAsSinglePass(c, 48000);
  }

  @Test
  void variableFrameRatePhoneVideoIsRefusedForItsFramesWouldDifferFromASinglePass() {
    assertThatThrownBy(() -> compare(MediaFixtures.media("iphone_120fps_vfr_h264_videoonly.mp4"), 1, SMALL))
        .isInstanceOf(BadArgumentException.class).hasMessageContaining("variable frame rate");
  }

  @Test
  void bFramesBehindAnEditListThatStartsMidGopKeepTheSinglePassFrames() {
    Path full = dir.resolve("full.mp4");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30:duration=14",
        "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100:duration=14", "-c:v", "libx264", "-preset", "fast",
        "-bf", "3", "-g", "60", "-c:a", "aac", full.toString()));
    Path in = dir.resolve("edit-list.mp4");
    // Cut by copying from a point between keyframes: the file keeps the frames from the keyframe
    // before, and an edit list hides them.
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-ss", "1.3", "-i", full.toString(), "-c", "copy", "-map", "0",
        in.toString()));
    assertThat(MediaFixtures.run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
        "packet=flags", "-of", "csv=p=0", in.toString()))).contains("D");

    Compared c = compare(in, 3);

    assertThat(c.plan().chunks()).hasSizeGreaterThanOrEqualTo(3);
    assertSameAsSinglePass(c, 44100);
    assertThat(c.chunked().frames()).isEqualTo(381);
  }

  @Test
  void onlyH264AndHevcInMp4CanBeChunked() {
    assertThatThrownBy(() -> ChunkedTranscoder.checkChunkable(TranscodeOptions.newBuilder().preset(Preset.VP9).build()))
        .isInstanceOf(BadArgumentException.class).hasMessageContaining("cannot be chunked");
    ChunkedTranscoder.checkChunkable(TranscodeOptions.newBuilder().preset(Preset.HEVC).build());
  }

  @Test
  void aPlanTravelsAsJson() {
    ChunkPlan plan = new ChunkPlan(1_400_000, Rational.of(1, 90000), Rational.of(30000, 1001), 0, 1, 10.02, 16,
        List.of(new ChunkPlan.Chunk(0, 0, 62, -1), new ChunkPlan.Chunk(1, 62, -1, 2_052_056)));

    assertThat(ChunkPlan.fromJson(plan.toJson())).isEqualTo(plan);
    assertThat(plan.only(1).chunks()).containsExactly(plan.chunk(1));
  }

  private void assertSameAsSinglePass(Compared c, int audioSampleRate) {
    Facts s = c.single();
    Facts k = c.chunked();
    double frame = c.plan().seconds(1);
    assertThat(k.frames()).as("decoded frames").isEqualTo(s.frames());
    assertThat(k.psnr()).as("PSNR against the source").isGreaterThanOrEqualTo(s.psnr() - 0.1);
    assertThat(k.videoStart()).as("video start").isCloseTo(s.videoStart(), within(frame));
    if (audioSampleRate > 0) {
      assertThat(k.audioStart()).as("audio start").isCloseTo(s.audioStart(), within(frame));
      assertThat(k.audioDuration()).as("audio duration").isCloseTo(s.audioDuration(), within(1024.0 / audioSampleRate));
    }
  }

  /** Transcodes {@code in} once whole and once in chunks of {@code chunkSeconds}, and measures both. */
  private Compared compare(Path in, double chunkSeconds) {
    return compare(in, chunkSeconds, TranscodeOptions.newBuilder().build());
  }

  /** The same with {@code options}. */
  private Compared compare(Path in, double chunkSeconds, TranscodeOptions options) {
    Path single = dir.resolve("single.mp4");
    Transcoder.using(tools).transcode(in, single, options, ProgressListener.NONE);

    ChunkPlan plan = ChunkPlanner.using(tools).plan(in, options, chunkSeconds, dir);
    ChunkedTranscoder chunker = ChunkedTranscoder.using(tools);
    List<ChunkedTranscoder.Part> parts = new ArrayList<>();
    for (ChunkPlan.Chunk chunk : plan.chunks()) {
      parts.add(chunker.encodeChunk(in, plan.only(chunk.index()), chunk, options,
          dir.resolve("chunk-" + chunk.index() + ".mp4"), ProgressListener.NONE));
    }
    ChunkedTranscoder.Part audio = chunker.encodeAudio(in, options, dir.resolve("audio.mp4"), ProgressListener.NONE)
        .orElse(null);
    assertThat(audio == null).isEqualTo(plan.audioStream() < 0);
    Path chunked = dir.resolve("chunked.mp4");
    TranscodeResult joined = chunker.join(in, plan, parts, audio, options, chunked, dir, ProgressListener.NONE);

    assertThat(joined.output()).isEqualTo(chunked);
    assertThat(Files.exists(chunked)).isTrue();
    return new Compared(plan, facts(single, in), facts(chunked, in));
  }

  private static Facts facts(Path out, Path source) {
    long frames = Long.parseLong(MediaFixtures.run(List.of("ffprobe", "-v", "error", "-count_frames", "-select_streams",
        "v:0", "-show_entries", "stream=nb_read_frames", "-of", "default=nw=1:nk=1", out.toString())).strip());
    return new Facts(frames, psnr(out, source), streamFact(out, "v:0", "start_time"), streamFact(out, "a:0", "start_time"),
        streamFact(out, "a:0", "duration"));
  }

  private static double streamFact(Path file, String stream, String entry) {
    String v = MediaFixtures.run(List.of("ffprobe", "-v", "error", "-select_streams", stream, "-show_entries",
        "stream=" + entry, "-of", "default=nw=1:nk=1", file.toString())).strip();
    return v.isEmpty() || v.equals("N/A") ? Double.NaN : Double.parseDouble(v);
  }

  /**
   * PSNR of {@code out} against the source, frame by frame in order: the source made constant
   * rate from the file's start as a transcode does and scaled to the output's size, both numbered
   * by frame so that timestamps rounded differently never pair the wrong frames.
   */
  private static double psnr(Path out, Path source) {
    try {
      Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostats", "-i", out.toString(), "-i", source.toString(),
          "-lavfi", "[1:v:0]fps=fps=source_fps:start_time=0,settb=AVTB,setpts=N[r];[0:v:0]settb=AVTB,setpts=N[o];"
              + "[r][o]scale2ref[ref][out];[out][ref]psnr",
          "-f", "null", "-").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
      Matcher m = PSNR.matcher(err);
      assertThat(m.find()).as("psnr output of ffmpeg: %s", err).isTrue();
      return m.group(1).equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
