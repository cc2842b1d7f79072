package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  static List<Path> damagedFiles() {
    return MediaFixtures.corpusFiles().stream().filter(MediaFixtures::damaged).toList();
  }

  /** A broken file either yields a valid output or fails as invalid input, never half-written. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedFiles")
  void damagedInputGivesValidOutputOrInvalidInputError(Path file) throws Exception {
    Toolchain tools = MediaFixtures.tools();
    Path out = dir.resolve("out.mp4");
    try {
      Transcoder.using(tools).transcode(file, out, TranscodeOptions.newBuilder().height(240).build(), ProgressListener.NONE);
      MediaInfo o = FFprobe.using(tools).probe(out);
      assertThat(o.hasVideo() || o.hasAudio()).isTrue();
      assertThat(o.durationSeconds()).isPositive();
    } catch (SpoolException e) {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.INVALID_INPUT);
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).doesNotContain("\n");
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
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage()).contains("empty"));
    assertThat(dir.resolve("o.mp4")).doesNotExist();
  }
}
