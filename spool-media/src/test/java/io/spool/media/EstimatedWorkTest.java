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
    return MediaFixtures.corpus().resolve(name);
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
    for (Path file : List.of(corpus("interlaced_tff_mpeg2_ac3_480i.mkv"), corpus("damaged_mp4_malformed_free_box.mp4"),
        corpus("damaged_mp4_mdat_too_long.mp4"), text, dir.resolve("missing.mp4"), dir)) {
      assertThat(Transcoder.estimatedWork(file)).as(file.getFileName().toString()).isEmpty();
    }
  }
}
