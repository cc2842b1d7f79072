package io.spool.media.thumbnails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.BadArgumentException;
import io.spool.media.InvalidInputException;
import io.spool.media.ProgressListener;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ThumbnailsTest {
  private static final Pattern PSNR = Pattern.compile("average:(inf|[0-9.]+)");
  private static final Pattern CUE = Pattern.compile(
      "(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3})\\n(\\S+)#xywh=(\\d+),(\\d+),(\\d+),(\\d+)");

  @TempDir Path dir;

  private ThumbnailSet make(Path input, ThumbnailOptions options) {
    return Thumbnails.using(MediaFixtures.tools()).make(input, dir.resolve("out"), options, ProgressListener.NONE);
  }

  /** A 4 s clip with a keyframe every 2 s, whose frames all differ (testsrc2 moves and counts). */
  private Path clip() {
    return MediaFixtures.sample(dir, "clip.mp4", 320, 240, 4);
  }

  @ParameterizedTest
  @EnumSource(value = ThumbnailOptions.Method.class, names = {"SEEK", "SCAN"})
  void thumbnailsAtRequestedTimesMatchAFrameDecodedIndependentlyAtThatTime(ThumbnailOptions.Method method) {
    Path in = clip();
    List<Double> times = List.of(0.0, 0.5, 1.3, 2.02, 3.5);

    ThumbnailSet set = make(in, ThumbnailOptions.newBuilder().at(times).width(160).format("png").method(method).build());

    assertThat(set.method()).isEqualTo(method);
    assertThat(set.times()).containsExactlyElementsOf(times);
    for (int i = 0; i < times.size(); i++) {
      // Decoded from the start, without seeking: the first frame at or after the time.
      Path expected = referenceFrame(in, times.get(i), 160, 120, "ref-" + i + ".png");
      assertThat(psnr(set.thumbnails().get(i), expected)).as("thumbnail at %s s", times.get(i)).isGreaterThanOrEqualTo(40);
    }
    // The check tells frames apart: a neighbouring frame is far off.
    Path neighbour = referenceFrame(in, 1.34, 160, 120, "neighbour.png");
    assertThat(psnr(set.thumbnails().get(2), neighbour)).isLessThan(40);
  }

  @Test
  void theSpriteSheetAndTheWebVttTrackAgree() throws Exception {
    Path in = clip();

    ThumbnailSet set = make(in, ThumbnailOptions.newBuilder().count(12).width(64).format("png").sprite(true).build());

    assertThat(set.thumbnails()).hasSize(12);
    assertThat(set.columns()).isEqualTo(10);
    assertThat(set.rows()).isEqualTo(2);
    assertThat(MediaFixtures.independentStreams(set.sprite()).get(0)).containsEntry("width", "640").containsEntry("height", "96");
    String vtt = Files.readString(set.track());
    assertThat(vtt).startsWith("WEBVTT\n");
    Matcher m = CUE.matcher(vtt);
    double previousEnd = 0;
    int cue = 0;
    while (m.find()) {
      double start = seconds(m, 1);
      double end = seconds(m, 5);
      assertThat(start).as("cue %d starts where the one before ended", cue).isCloseTo(previousEnd, org.assertj.core.api.Assertions.within(0.001));
      assertThat(set.times().get(cue)).isBetween(start, end);
      assertThat(m.group(9)).isEqualTo(set.sprite().getFileName().toString());
      int x = Integer.parseInt(m.group(10));
      int y = Integer.parseInt(m.group(11));
      int w = Integer.parseInt(m.group(12));
      int h = Integer.parseInt(m.group(13));
      // The region of the sprite the cue names is that cue's thumbnail.
      Path region = dir.resolve("region-" + cue + ".png");
      MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-i", set.sprite().toString(),
          "-vf", "crop=" + w + ":" + h + ":" + x + ":" + y, region.toString()));
      assertThat(psnr(region, set.thumbnails().get(cue))).as("cue %d", cue).isInfinite();
      previousEnd = end;
      cue++;
    }
    assertThat(cue).isEqualTo(12);
    assertThat(previousEnd).isCloseTo(set.durationSeconds(), org.assertj.core.api.Assertions.within(0.001));
  }

  @ParameterizedTest
  @EnumSource(value = ThumbnailOptions.Method.class, names = {"SEEK", "SCAN"})
  void thePosterIsOneOfTheThumbnailsFramesAtFullSize(ThumbnailOptions.Method method) throws Exception {
    Path in = clip();

    // PNG posters are decoded again at their time; JPEG ones are kept at full size as the thumbnails are made.
    ThumbnailSet png = make(in, ThumbnailOptions.newBuilder().count(4).width(160).format("png").method(method).build());
    assertThat(MediaFixtures.independentStreams(png.poster()).get(0)).containsEntry("width", "320").containsEntry("height", "240");
    double t = png.times().get(png.posterIndex());
    assertThat(psnr(png.poster(), referenceFrame(in, t, 320, 240, "poster-ref.png"))).isGreaterThanOrEqualTo(40);
    assertThat(png.sprite()).isNull();
    assertThat(png.track()).exists();

    ThumbnailSet jpg = Thumbnails.using(MediaFixtures.tools()).make(in, dir.resolve("jpg"),
        ThumbnailOptions.newBuilder().count(4).width(160).method(method).build(), ProgressListener.NONE);
    assertThat(jpg.posterIndex()).isEqualTo(png.posterIndex());
    assertThat(MediaFixtures.independentStreams(jpg.poster()).get(0)).containsEntry("width", "320").containsEntry("height", "240");
    double right = psnr(jpg.poster(), referenceFrame(in, t, 320, 240, "jpg-ref.png"));
    double next = psnr(jpg.poster(), referenceFrame(in, t + 0.04, 320, 240, "jpg-next.png"));
    assertThat(right).isGreaterThan(next + 3);
    try (var files = Files.list(dir.resolve("jpg"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "thumb-0001.jpg", "thumb-0002.jpg", "thumb-0003.jpg", "thumb-0004.jpg", "poster.jpg", "thumbnails.vtt");
    }
  }

  @Test
  void autoSeeksForFewFarApartTimesAndScansForDenseOnes() {
    Path in = clip();

    assertThat(make(in, ThumbnailOptions.newBuilder().at(List.of(3.0)).width(64).build()).method())
        .isEqualTo(ThumbnailOptions.Method.SEEK);
    ThumbnailSet dense = make(in, ThumbnailOptions.newBuilder().every(0.2).width(64).build());
    assertThat(dense.method()).isEqualTo(ThumbnailOptions.Method.SCAN);
    assertThat(dense.thumbnails()).hasSize(20);
  }

  @Test
  void aTimePastTheEndIsABadArgumentAndAudioIsNoVideo() {
    Path in = clip();
    assertThatThrownBy(() -> make(in, ThumbnailOptions.newBuilder().at(List.of(1.0, 9.0)).build()))
        .isInstanceOf(BadArgumentException.class).hasMessageContaining("9 s is past the end of clip.mp4 (4.00 s)");
    assertThatThrownBy(() -> make(MediaFixtures.media("jfk.wav"), ThumbnailOptions.newBuilder().build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("jfk.wav has no video track");
  }

  private static double seconds(Matcher m, int group) {
    return Integer.parseInt(m.group(group)) * 3600 + Integer.parseInt(m.group(group + 1)) * 60
        + Integer.parseInt(m.group(group + 2)) + Integer.parseInt(m.group(group + 3)) / 1000.0;
  }

  /** The first frame at or after {@code t}, decoded from the start with plain ffmpeg, at the given size. */
  private Path referenceFrame(Path in, double t, int w, int h, String name) {
    Path out = dir.resolve(name);
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-y", "-i", in.toString(),
        "-vf", "select='gte(t\\," + t + ")',scale=" + w + ":" + h + ",setsar=1", "-frames:v", "1", out.toString()));
    return out;
  }

  /** PSNR of two images by ffmpeg's psnr filter (infinite when identical). */
  static double psnr(Path a, Path b) {
    try {
      Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-i", a.toString(), "-i", b.toString(),
          "-lavfi", "psnr", "-f", "null", "-").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(err).isZero();
      Matcher m = PSNR.matcher(err);
      assertThat(m.find()).as(err).isTrue();
      return m.group(1).equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
