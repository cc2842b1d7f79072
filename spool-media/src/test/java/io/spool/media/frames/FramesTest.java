package io.spool.media.frames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.FilterChain;
import io.spool.media.ProgressListener;
import io.spool.media.Rational;
import io.spool.media.SpoolException;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FramesTest {
  private static final Pattern PSNR = Pattern.compile("average:(inf|[0-9.]+)");

  @TempDir Path dir;

  private Path clip() {
    return MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2);
  }

  private EffectResult overlay(Path in, Path out, Overlay overlay) {
    // crf 0: lossless, so the frames can be compared exactly with ffmpeg's own rendering.
    return FrameEffects.using(MediaFixtures.tools()).apply(in, out, out.getFileName().toString(), overlay, 0, 2, null,
        ProgressListener.NONE);
  }

  @Test
  void textWithTheFrameNumberIsDrawnInOnePassAndTheAudioIsKept() throws Exception {
    Path in = clip();
    Path out = dir.resolve("numbered.mp4");

    EffectResult r = overlay(in, out, new Overlay(null, null, null, "frame {frame}", null, 40));

    assertThat(r.frames()).isEqualTo(50);
    assertThat(countFrames(out)).isEqualTo(countFrames(in));
    assertThat(r.audio()).isEqualTo("copied aac");
    assertThat(MediaFixtures.independentStreams(out)).extracting(s -> s.get("codec_name")).containsExactly("h264", "aac");
    // Frame 37 shows "frame 37": drawn by hand with the same text as plain text, the picture is the same.
    Path drawn = frame(out, 37, "drawn.png");
    assertThat(psnr(drawn, literal(in, 37, "frame 37", 40))).isGreaterThanOrEqualTo(50);
    assertThat(psnr(drawn, literal(in, 37, "frame 36", 40))).isLessThan(45);
  }

  @Test
  void textThatLooksLikeFilterGraphSyntaxIsDrawnAsWrittenNeverInterpreted() throws Exception {
    Path in = clip();
    Path out = dir.resolve("hostile.mp4");
    // Quotes, colons, semicolons, brackets, commas, backslashes and drawtext's own %{...} functions.
    String hostile = "it's 10:30; [x]\na,b=c \\ %{pts}\n%{eif:1/0:d} ' ''\n\"q\" [y];movie=/etc/passwd";

    overlay(in, out, new Overlay(null, null, null, hostile, null, 20));

    assertThat(countFrames(out)).isEqualTo(countFrames(in));
    Path drawn = frame(out, 10, "drawn.png");
    assertThat(psnr(drawn, literal(in, 10, hostile, 20))).isGreaterThanOrEqualTo(50);
    assertThat(psnr(drawn, literal(in, 10, hostile.replace("%{pts}", "0.4"), 20))).isLessThan(45);
  }

  @Test
  void anImageAndAFilterChainGoOnEveryFrame() {
    Path in = clip();
    Path logo = dir.resolve("logo.png");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=red:size=40x20", "-frames:v", "1",
        logo.toString()));
    Path out = dir.resolve("marked.mkv");

    EffectResult r = overlay(in, out, new Overlay(FilterChain.parse("hflip,eq=contrast=1.2"), logo, Overlay.Position.TOP_RIGHT,
        null, null, null));

    assertThat(r.audio()).isEqualTo("copied aac");
    Path expected = dir.resolve("expected.png");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-i", in.toString(), "-i", logo.toString(), "-filter_complex",
        "[0:v]hflip,eq=contrast=1.2[f];[f][1:v]overlay=x=main_w-overlay_w-6:y=6,select=eq(n\\,20)", "-frames:v", "1",
        expected.toString()));
    assertThat(psnr(frame(out, 20, "marked.png"), expected)).isGreaterThanOrEqualTo(50);
  }

  @Test
  void aFilterChainThatLeavesItsChainOrReadsFilesIsRefused() {
    Path in = clip();
    assertThatThrownBy(() -> FilterChain.parse("null[x];movie=/etc/passwd[y]")).isInstanceOf(BadArgumentException.class)
        .hasMessageContaining("'[' (which would start another chain or name a link) is not allowed outside quotes");
    assertThatThrownBy(() -> FilterChain.parse("hflip;movie=/etc/passwd")).isInstanceOf(BadArgumentException.class)
        .hasMessageContaining("';' (which would start another chain or name a link) is not allowed outside quotes");
    assertThatThrownBy(() -> FilterChain.parse("hflip,scale=w='iw/2"))
        .isInstanceOf(BadArgumentException.class).hasMessageContaining("unclosed quote");
    assertThatThrownBy(() -> overlay(in, dir.resolve("a.mp4"), new Overlay(FilterChain.parse("movie=/etc/passwd"), null, null,
        null, null, null))).isInstanceOf(BadArgumentException.class)
        .hasMessageContaining("filter movie cannot be used in --filter");
    assertThatThrownBy(() -> overlay(in, dir.resolve("b.mp4"), new Overlay(FilterChain.parse("drawtext=textfile=/etc/passwd"),
        null, null, null, null, null))).isInstanceOf(BadArgumentException.class)
        .hasMessageContaining("filter drawtext is not allowed in --filter");
    // Quoted separators stay inside their value.
    assertThat(FilterChain.parse("eq=contrast=1.2,drawbox=color='red@0.5':t=2").render())
        .isEqualTo("eq=contrast=1.2,drawbox=color='red@0.5':t=2");
    assertThat(dir.resolve("a.mp4")).doesNotExist();
  }

  @Test
  void aJavaFrameProcessorChangesEveryFrameThroughAPipe() throws Exception {
    Path in = clip();
    Path out = dir.resolve("inverted.mp4");
    List<Long> seen = new ArrayList<>();

    EffectResult r = FramePipe.using(MediaFixtures.tools()).run(in, out, "inverted.mp4", frame -> {
      seen.add(frame.index());
      byte[] rgb = frame.rgb();
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = (byte) (255 - (rgb[i] & 0xff));
      }
    }, 0, 2, null, ProgressListener.NONE);

    assertThat(seen).hasSize(50).startsWith(0L, 1L, 2L).endsWith(49L);
    assertThat(r.frames()).isEqualTo(50);
    assertThat(countFrames(out)).isEqualTo(countFrames(in));
    assertThat(MediaFixtures.independentStreams(out)).extracting(s -> s.get("codec_name")).containsExactly("h264", "aac");
    // Decoded again, frame 25 is the source's frame 25 negated by ffmpeg itself.
    Path negated = dir.resolve("negated.png");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-i", in.toString(), "-vf", "select=eq(n\\,25),negate",
        "-frames:v", "1", negated.toString()));
    Path inverted = frame(out, 25, "inverted.png");
    assertThat(psnr(inverted, negated)).isGreaterThanOrEqualTo(35);
    assertThat(psnr(inverted, frame(in, 25, "source.png"))).isLessThan(15);
  }

  @Test
  void aProcessorThatThrowsFailsTheRunWithItsFrame() {
    Path in = clip();
    assertThatThrownBy(() -> FramePipe.using(MediaFixtures.tools()).run(in, dir.resolve("x.mp4"), "x.mp4", frame -> {
      if (frame.index() == 7) {
        throw new IllegalStateException("bad pixel");
      }
    }, null, 1, null, ProgressListener.NONE)).isInstanceOf(SpoolException.class)
        .hasMessageContaining("failed at frame 7: java.lang.IllegalStateException: bad pixel")
        .extracting(e -> ((SpoolException) e).code()).isEqualTo(ErrorCode.JOB_FAILED);
    assertThat(MediaFixtures.ffmpegProcessesMentioning(in.toString())).isEmpty();
  }

  @Test
  void framesAreWrittenAsNumberedImagesAtTheRateAsked() throws Exception {
    Path in = clip();

    FrameExtraction.Frames f = FrameExtraction.using(MediaFixtures.tools()).extract(in, dir.resolve("frames"),
        Rational.of(2, 1), "png", 160, 1, null, ProgressListener.NONE);

    assertThat(f.files()).extracting(p -> p.getFileName().toString())
        .containsExactly("frame-000001.png", "frame-000002.png", "frame-000003.png", "frame-000004.png");
    assertThat(MediaFixtures.independentStreams(f.files().get(0)).get(0)).containsEntry("width", "160").containsEntry("height", "120");
  }

  /** The number of frames in a file's video track, counted by decoding it with plain ffprobe. */
  static long countFrames(Path file) {
    return Long.parseLong(MediaFixtures.run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
        "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString())).strip());
  }

  /** Frame {@code n} of a file as a PNG. */
  private Path frame(Path video, int n, String name) {
    Path png = dir.resolve(name);
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-i", video.toString(), "-vf", "select=eq(n\\," + n + ")",
        "-frames:v", "1", png.toString()));
    return png;
  }

  /**
   * Frame {@code n} of {@code in} with {@code text} drawn by plain ffmpeg from a file, with no
   * expansion at all, in Spool's style at the bottom left of a 240-line picture.
   */
  private Path literal(Path in, int n, String text, int size) throws Exception {
    Path textFile = Files.writeString(dir.resolve("text-" + n + "-" + text.hashCode() + ".txt"), text);
    Path png = dir.resolve("literal-" + n + "-" + text.hashCode() + ".png");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-y", "-i", in.toString(), "-vf", "select=eq(n\\," + n + "),drawtext="
        + "textfile=" + textFile + ":expansion=none:fontsize=" + size + ":fontcolor=white:box=1:boxcolor=black@0.5"
        + ":boxborderw=" + Math.max(2, size / 4) + ":x=6:y=h-th-6", "-frames:v", "1", png.toString()));
    return png;
  }

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
