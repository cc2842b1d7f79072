package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The work estimate a batch orders its jobs by, read from MP4 headers without a process. */
class EstimatedWorkTest {
  @TempDir Path dir;

  private static Path corpus(String name) {
    return MediaFixtures.media(name);
  }

  /** The same estimate from plain ffprobe's fields. */
  private static double fromFfprobe(Path file) {
    List<Map<String, String>> streams = MediaFixtures.independentStreams(file);
    double pixelsPerSecond = streams.stream().filter(s -> "video".equals(s.get("codec_type"))).findFirst()
        .map(v -> Double.parseDouble(v.get("width")) * Double.parseDouble(v.get("height"))
            * Rational.parse(v.get("avg_frame_rate")).toDouble())
        .orElse(0.0);
    boolean audio = streams.stream().anyMatch(s -> "audio".equals(s.get("codec_type")));
    return MediaFixtures.independentDuration(file) * (pixelsPerSecond + (audio ? 1280 * 720 : 0));
  }

  @Test
  void anMp4sWorkIsItsPixelsToEncodeAsFfprobeDescribesThem() {
    for (String name : List.of("h264_aac_1080p_6min_lowbitrate.mp4", "h264_aac_stereo_360p_17s.mp4",
        "h264_aac51_bbb_720p_5s.mp4", "mov_h264_pcm_s16le_1080p50.mov", "hevc_main_bframes_480p.mp4")) {
      Path file = corpus(name);
      OptionalDouble work = Transcoder.estimatedWork(file);

      assertThat(work).as(name).isPresent();
      assertThat(work.getAsDouble()).as(name).isCloseTo(fromFfprobe(file), within(fromFfprobe(file) * 0.02));
    }
  }

  @Test
  void aMatroskaOrWebmFilesWorkComesFromItsSegmentAndTrackHeaders() {
    for (String name : List.of("interlaced_tff_mpeg2_ac3_480i.mkv", "mkv_h264_444_aac_chapters.mkv",
        "vp9_profile2_10bit.webm", "webm_opus_audioonly_bbb.webm", "webm_vp8_vorbis6ch_bbb_1080p60.webm",
        "webm_vp9_vorbis6ch_bbb_540p60.webm", "webm_vp9_videoonly_bear.webm")) {
      Path file = corpus(name);
      OptionalDouble work = Transcoder.estimatedWork(file);

      assertThat(work).as(name).isPresent();
      assertThat(work.getAsDouble()).as(name).isCloseTo(fromFfprobe(file), within(fromFfprobe(file) * 0.02));
    }
    // No frame duration in its track header: 30 fps is assumed (ffprobe finds 60 by reading frames).
    Path noRate = corpus("mkv_h264_ac3_ass.mkv");
    assertThat(Transcoder.estimatedWork(noRate).getAsDouble())
        .isCloseTo(MediaFixtures.independentDuration(noRate) * (1080 * 720 * 30 + 1280 * 720), within(1e5));
  }

  @Test
  void aLongLowBitrateFileIsMoreWorkThanABiggerShortOne() {
    Path sixMinutes = corpus("h264_aac_1080p_6min_lowbitrate.mp4");
    Path seventeenSeconds = corpus("h264_aac_stereo_360p_17s.mp4");
    assertThat(sixMinutes.toFile().length()).isLessThan(seventeenSeconds.toFile().length());

    assertThat(Transcoder.estimatedWork(sixMinutes).getAsDouble())
        .isGreaterThan(100 * Transcoder.estimatedWork(seventeenSeconds).getAsDouble());
  }

  @Test
  void whatTheHeadersCannotTellIsNotEstimated() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video");
    byte[] mkv = Files.readAllBytes(corpus("mkv_h264_444_aac_chapters.mkv"));
    Path cut = Files.write(dir.resolve("cut.mkv"), java.util.Arrays.copyOf(mkv, 60));
    for (Path file : List.of(corpus("avi_rawvideo_pal8_320x240.avi"), corpus("telecined_soft_mpeg2_ac3_480.ts"),
        corpus("jfk.mp3"), corpus("damaged_mp4_malformed_free_box.mp4"), corpus("damaged_mp4_mdat_too_long.mp4"), cut, text,
        dir.resolve("missing.mp4"), dir)) {
      assertThat(Transcoder.estimatedWork(file)).as(file.getFileName().toString()).isEmpty();
    }
  }

  @Test
  void aCutOrGarbledMatroskaHeaderGivesAnEstimateOrNoneButNeverAnError() throws Exception {
    byte[] mkv = Files.readAllBytes(corpus("webm_vp8_vorbis6ch_bbb_1080p60.webm"));
    java.util.Random random = new java.util.Random(7);
    Path file = dir.resolve("bad.webm");
    for (int n = 4; n < 4096; n += 13) {
      Files.write(file, java.util.Arrays.copyOf(mkv, n));
      Transcoder.estimatedWork(file);
      byte[] garbled = java.util.Arrays.copyOf(mkv, 8192);
      for (int k = 0; k < 8; k++) {
        garbled[4 + random.nextInt(4092)] = (byte) random.nextInt(256);
      }
      Files.write(file, garbled);
      OptionalDouble work = Transcoder.estimatedWork(file);
      assertThat(work.isEmpty() || work.getAsDouble() >= 0).isTrue();
    }
  }
}
