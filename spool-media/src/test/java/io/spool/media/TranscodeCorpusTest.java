package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus video through the web preset. Outputs are capped at 360 lines to keep CI fast;
 * the checks (codecs, moov first, duration, orientation) do not depend on the size.
 */
class TranscodeCorpusTest {
  @TempDir Path dir;

  static List<Path> videos() {
    return MediaFixtures.corpusVideos();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("videos")
  void webPresetMakesValidStreamableMp4(Path file) throws Exception {
    Toolchain tools = MediaFixtures.tools();
    MediaInfo in = FFprobe.using(tools).probe(file);
    Path out = dir.resolve("out.mp4");

    TranscodeResult r = Transcoder.using(tools).transcode(file, out,
        TranscodeOptions.newBuilder().preset(Preset.WEB).height(360).build(), ProgressListener.NONE);

    MediaInfo o = FFprobe.using(tools).probe(out);
    assertThat(o.formatName()).contains("mp4");
    // The transcoder read its output back itself; ffprobe must see the same file.
    MediaInfo seen = r.outputInfo();
    assertThat(seen.streams()).extracting(MediaStream::type, MediaStream::codec)
        .containsExactlyElementsOf(o.streams().stream().map(st -> org.assertj.core.groups.Tuple.tuple(st.type(), st.codec())).toList());
    assertThat(seen.durationSeconds()).isCloseTo(o.durationSeconds(), within(0.05));
    assertThat(seen.primaryVideo().orElseThrow().pixelFormat()).isEqualTo("yuv420p");
    assertThat(seen.primaryVideo().orElseThrow().profile()).isNotNull();
    for (MediaStream st : seen.streams()) {
      if (st.type() == StreamType.VIDEO || st.type() == StreamType.AUDIO) {
        MediaFixtures.assertDescribedAsFfprobeDoes(st, o.streams().get(st.index()));
      }
    }
    assertThat(seen.primaryVideo().orElseThrow().displayWidth()).isEqualTo(o.primaryVideo().orElseThrow().displayWidth());
    assertThat(seen.primaryVideo().orElseThrow().displayHeight()).isEqualTo(o.primaryVideo().orElseThrow().displayHeight());
    assertThat(o.primaryVideo().orElseThrow().codec()).isEqualTo("h264");
    assertThat(o.primaryVideo().orElseThrow().pixelFormat()).isEqualTo("yuv420p");
    if (in.hasAudio()) {
      assertThat(o.primaryAudio().orElseThrow().codec()).isEqualTo("aac");
    }
    List<String> boxes = MediaFixtures.topLevelBoxes(out);
    assertThat(boxes.indexOf("moov")).as("moov before mdat in %s", boxes).isLessThan(boxes.indexOf("mdat"));
    assertThat(MediaFixtures.independentDuration(out)).isCloseTo(MediaFixtures.independentDuration(file), within(0.1));

    MediaStream iv = in.primaryVideo().orElseThrow();
    MediaStream ov = o.primaryVideo().orElseThrow();
    assertThat(ov.displayWidth() > ov.displayHeight())
        .as("orientation: input shown %dx%d, output shown %dx%d",
            iv.displayWidth(), iv.displayHeight(), ov.displayWidth(), ov.displayHeight())
        .isEqualTo(iv.displayWidth() > iv.displayHeight());
    assertThat(ov.displayHeight()).isLessThanOrEqualTo(Math.max(360, 0)).isLessThanOrEqualTo(iv.displayHeight() + 1);
    assertThat(ov.width() % 2).isZero();
    assertThat(ov.height() % 2).isZero();
    assertThat(r.metrics().cpuSeconds()).isPositive();
    assertThat(r.metrics().peakRssBytes()).isPositive();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(out);
    }
  }

  /** How transcoding a corpus file ends: it succeeds, or fails as invalid input for the reason named. */
  private record Outcome(boolean succeeds, String reason) {
    static final Outcome SUCCEEDS = new Outcome(true, null);

    static Outcome invalidInput(String reason) {
      return new Outcome(false, reason);
    }
  }

  /**
   * What each file broken on purpose (see testdata/media/SOURCES.md) comes to, as ffmpeg reads it.
   * Every other corpus file succeeds.
   */
  private static final Map<String, Outcome> BROKEN_ON_PURPOSE = Map.of(
      // 100 kB of garbage before the MP3 data: ffmpeg can only guess AMR-NB, which the name contradicts.
      "damaged_mp3_100kB_garbage_prefix.mp3", Outcome.invalidInput("does not read as mp3"),
      "damaged_mp4_malformed_free_box.mp4", Outcome.invalidInput("moov atom not found"),
      // Not one frame decodes, so the video stream has no format.
      "damaged_vp9_invalid_bitstream.webm", Outcome.invalidInput("Cannot determine format of input stream 0:0"),
      // The mdat claims more bytes than the file has, but every sample the index names is there.
      "damaged_mp4_mdat_too_long.mp4", Outcome.SUCCEEDS,
      // Only the last packet is bad: ffmpeg reports it and reads the rest.
      "damaged_ogg_opus_buggy.ogg", Outcome.SUCCEEDS,
      // MP4/AAC named .mpeg: read by its content.
      "misnamed_aac_in_mp4_named.mpeg", Outcome.SUCCEEDS);

  private static Optional<Outcome> expectedOutcome(Path file) {
    return MediaFixtures.damaged(file)
        ? Optional.ofNullable(BROKEN_ON_PURPOSE.get(file.getFileName().toString()))
        : Optional.of(Outcome.SUCCEEDS);
  }

  @org.junit.jupiter.api.Test
  void everyCorpusFileHasOneExpectedOutcome() {
    List<Path> files = MediaFixtures.corpusFiles();
    assertThat(files).allSatisfy(f -> assertThat(expectedOutcome(f))
        .as("expected outcome of testdata/media/%s (add it to BROKEN_ON_PURPOSE)", f.getFileName()).isPresent());
    assertThat(files.stream().map(f -> f.getFileName().toString()))
        .as("files named in BROKEN_ON_PURPOSE").containsAll(BROKEN_ON_PURPOSE.keySet());
  }

  /** The corpus files the web preset test leaves out: those broken on purpose and those without video. */
  static List<Path> filesWithoutAPlainVideo() {
    List<Path> videos = MediaFixtures.corpusVideos();
    return MediaFixtures.corpusFiles().stream().filter(f -> !videos.contains(f)).toList();
  }

  /** Each file ends one way only: a whole output, or invalid input with nothing left behind. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("filesWithoutAPlainVideo")
  void eachFileComesToItsExpectedOutcome(Path file) throws Exception {
    Outcome expected = expectedOutcome(file).orElseThrow(() -> new AssertionError("no expected outcome for " + file));
    Toolchain tools = MediaFixtures.tools();
    Path out = dir.resolve("out.mp4");
    TranscodeOptions options = TranscodeOptions.newBuilder().height(240).build();

    if (expected.succeeds()) {
      Transcoder.using(tools).transcode(file, out, options, ProgressListener.NONE);
      MediaInfo in = FFprobe.using(tools).probe(file);
      MediaInfo o = FFprobe.using(tools).probe(out);
      assertThat(o.hasVideo()).as("video").isEqualTo(in.hasVideo());
      assertThat(o.hasAudio()).as("audio").isEqualTo(in.hasAudio());
      assertThat(MediaFixtures.independentDuration(out)).as("all of the input")
          .isCloseTo(MediaFixtures.independentDuration(file), within(0.15));
      try (Stream<Path> left = Files.list(dir)) {
        assertThat(left).containsExactly(out);
      }
    } else {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Transcoder.using(tools).transcode(file, out, options, ProgressListener.NONE))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains(expected.reason()).doesNotContain("\n");
          });
      try (Stream<Path> left = Files.list(dir)) {
        assertThat(left).isEmpty();
      }
    }
  }

  @org.junit.jupiter.api.Test
  void brokenBitstreamIsReportedWithTheDecodersReason() {
    Path file = MediaFixtures.media("damaged_vp9_invalid_bitstream.webm");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Transcoder.using(MediaFixtures.tools())
            .transcode(file, dir.resolve("o.mp4"), TranscodeOptions.newBuilder().build(), ProgressListener.NONE))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.getMessage()).containsIgnoringCase("invalid").doesNotContain("Error marking filters"));
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aNamedPipeIsRejectedWithoutBeingOpened() throws Exception {
    Path fifo = dir.resolve("pipe.mp4");
    MediaFixtures.run(List.of("mkfifo", fifo.toString()));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Transcoder.using(MediaFixtures.tools())
            .transcode(fifo, dir.resolve("o.mp4"), TranscodeOptions.newBuilder().build(), ProgressListener.NONE))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage()).contains("input is not a regular file (a named pipe)"));
    assertThat(dir.resolve("o.mp4")).doesNotExist();
  }
}
