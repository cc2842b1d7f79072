package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProbeCorpusTest {
  private final FFprobe probe = FFprobe.using(MediaFixtures.tools());

  static List<Path> readableFiles() {
    return MediaFixtures.corpusFiles().stream()
        .filter(p -> !List.of("damaged_mp4_malformed_free_box.mp4", "damaged_mp3_100kB_garbage_prefix.mp3")
            .contains(p.getFileName().toString()))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readableFiles")
  void probeAgreesWithPlainFfprobe(Path file) {
    MediaInfo info = probe.probe(file);
    List<Map<String, String>> expected = MediaFixtures.independentStreams(file);

    assertThat(info.streams()).hasSameSizeAs(expected);
    assertThat(info.durationSeconds()).isCloseTo(MediaFixtures.independentDuration(file), within(0.001));
    for (MediaStream s : info.streams()) {
      Map<String, String> e = expected.get(s.index());
      assertThat(s.type().name().toLowerCase()).as("type of #%d", s.index()).isEqualTo(e.get("codec_type"));
      assertThat(s.codec()).as("codec of #%d", s.index())
          .isEqualTo("unknown".equals(e.get("codec_name")) ? null : e.get("codec_name"));
      assertThat(s.attachedPicture()).isEqualTo("1".equals(e.get("disposition.attached_pic")));
      if (s.type() == StreamType.VIDEO) {
        assertThat(s.width()).as("width of #%d", s.index()).isEqualTo(Integer.parseInt(e.get("width")));
        assertThat(s.height()).as("height of #%d", s.index()).isEqualTo(Integer.parseInt(e.get("height")));
        assertThat(s.frameRate()).isEqualTo(Rational.parse(e.get("r_frame_rate")));
        assertThat(s.averageFrameRate()).isEqualTo(Rational.parse(e.get("avg_frame_rate")));
        String sideRotation = e.get("side_data_list.side_data.0.rotation");
        int expectedRotation = sideRotation == null ? 0
            : Math.floorMod(-(int) Math.round(Double.parseDouble(sideRotation)), 360);
        assertThat(s.rotation()).as("rotation of #%d", s.index()).isEqualTo(expectedRotation);
        boolean turned = expectedRotation == 90 || expectedRotation == 270;
        if (!s.sampleAspectRatio().isKnown() || s.sampleAspectRatio().sameValue(Rational.ONE)) {
          assertThat(s.displayWidth()).isEqualTo(turned ? s.height() : s.width());
          assertThat(s.displayHeight()).isEqualTo(turned ? s.width() : s.height());
        }
      }
      if (s.type() == StreamType.AUDIO) {
        assertThat(s.channels()).isEqualTo(Integer.parseInt(e.get("channels")));
      }
    }
  }

  @Test
  void rotationAndDisplaySizeOfKnownFiles() {
    MediaStream rot270 = probe.probe(MediaFixtures.media("h264_aac_rot270_720p_5s.mp4")).primaryVideo().orElseThrow();
    assertThat(rot270.rotation()).isEqualTo(270);
    assertThat(rot270.displayWidth()).isEqualTo(720);
    assertThat(rot270.displayHeight()).isEqualTo(1280);

    MediaStream rot180 = probe.probe(MediaFixtures.media("pixel7_h264_rot180_videoonly.mp4")).primaryVideo().orElseThrow();
    assertThat(rot180.rotation()).isEqualTo(180);
    assertThat(rot180.displayWidth()).isEqualTo(1920);

    MediaStream portrait = probe.probe(MediaFixtures.media("h264_aac_portrait_720x1080_norotation.mp4")).primaryVideo().orElseThrow();
    assertThat(portrait.rotation()).isZero();
    assertThat(portrait.displayHeight()).isGreaterThan(portrait.displayWidth());
  }

  @Test
  void frameRatesVariabilityAndInterlacing() {
    MediaStream bbb = probe.probe(MediaFixtures.media("h264_aac51_bbb_720p_5s.mp4")).primaryVideo().orElseThrow();
    assertThat(bbb.frameRate()).isEqualTo(Rational.of(25, 1));
    assertThat(bbb.variableFrameRate()).isFalse();

    MediaStream iphone = probe.probe(MediaFixtures.media("iphone_120fps_vfr_h264_videoonly.mp4")).primaryVideo().orElseThrow();
    assertThat(iphone.variableFrameRate()).isTrue();

    MediaStream interlaced = probe.probe(MediaFixtures.media("interlaced_tff_mpeg2_ac3_480i.mkv")).primaryVideo().orElseThrow();
    assertThat(interlaced.interlaced()).isTrue();
    assertThat(interlaced.fieldOrder()).isEqualTo("tt");
  }

  @Test
  void coverArtIsNotAVideoTrack() {
    MediaInfo mp3 = probe.probe(MediaFixtures.media("bear_id3_coverart.mp3"));
    assertThat(mp3.streams()).anyMatch(MediaStream::attachedPicture);
    assertThat(mp3.hasVideo()).isFalse();
    assertThat(mp3.primaryAudio()).isPresent();
  }

  @Test
  void chaptersColourLanguageAndChannels() {
    MediaInfo chapters = probe.probe(MediaFixtures.media("mkv_h264_444_aac_chapters.mkv"));
    assertThat(chapters.chapters()).extracting(Chapter::title).containsExactly("Chapter 1", "Chapter 2");
    assertThat(chapters.chapters().get(1).startSeconds()).isCloseTo(2.0, within(0.01));
    assertThat(chapters.primaryVideo().orElseThrow().pixelFormat()).isEqualTo("yuv444p");

    MediaStream hdr = probe.probe(MediaFixtures.media("hevc10_hdr10_aac_1080p.mp4")).primaryVideo().orElseThrow();
    assertThat(hdr.color().transfer()).isEqualTo("smpte2084");
    assertThat(hdr.color().isHdr()).isTrue();

    MediaInfo srt = probe.probe(MediaFixtures.media("mkv_h264_ac3_srt_eng.mkv"));
    assertThat(srt.streams()).anyMatch(s -> s.type() == StreamType.SUBTITLE && "eng".equals(s.language()));

    MediaStream surround = probe.probe(MediaFixtures.media("h264_aac51_bbb_720p_5s.mp4")).primaryAudio().orElseThrow();
    assertThat(surround.channels()).isEqualTo(6);
    assertThat(surround.sampleRate()).isEqualTo(48000);
  }

  @Test
  void unreadableFileIsInvalidInput() {
    assertThatThrownBy(() -> probe.probe(MediaFixtures.media("damaged_mp4_malformed_free_box.mp4")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
          assertThat(e.getMessage()).contains("moov atom not found").doesNotContain("\n");
        });
  }

  /** An MP3 whose start is garbage is only guessed to be raw AMR: refused, not read as 70 s of noise. */
  @Test
  void aGuessThatContradictsTheNameIsInvalidInput() {
    assertThatThrownBy(() -> probe.probe(MediaFixtures.media("damaged_mp3_100kB_garbage_prefix.mp3")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage())
            .contains("does not read as mp3", "amrnb", "probe score 26").doesNotContain("\n"));
  }

  /** MPEG-PS is also only recognised at score 26; its usual names agree with it or say nothing. */
  @Test
  void aWeakGuessThatTheNameDoesNotContradictStands(@TempDir Path dir) throws Exception {
    Path mpeg = MediaFixtures.media("mpeg1_mp2_160x120_zelda_commercial.mpeg");
    assertThat(probe.probe(mpeg).formatName()).isEqualTo("mpeg");
    Path mpg = Files.copy(mpeg, dir.resolve("zelda.mpg"));
    assertThat(probe.probe(mpg).hasVideo()).isTrue();
    Path bare = Files.copy(mpeg, dir.resolve("zelda"));
    assertThat(probe.probe(bare).hasVideo()).isTrue();
  }
}
