package io.spool.media.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.ErrorCode;
import io.spool.media.ProgressListener;
import io.spool.media.SpoolException;
import io.spool.media.testing.MediaFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HlsPackagerTest {
  @TempDir Path dir;

  private final HlsPackager hls = HlsPackager.using(MediaFixtures.tools());

  @Test
  void everyRungProbesAndItsSegmentsLineUpWithTheOtherRungs() {
    Path clip = MediaFixtures.sample(dir, "clip.mp4", 854, 480, 4.5);
    Path out = dir.resolve("ladder");

    HlsResult r = hls.write(clip, out, HlsOptions.newBuilder().heights(List.of(240, 480, 360)).segmentSeconds(1).build(),
        ProgressListener.NONE);

    assertThat(r.rungs()).extracting(HlsRung::name).containsExactly("480p", "360p", "240p");
    assertThat(r.dropped()).isEmpty();
    Map<String, Playlist> playlists = new LinkedHashMap<>();
    for (String name : List.of("480p", "360p", "240p")) {
      Path file = out.resolve(name + ".m3u8");
      Playlist p = Playlist.read(file);
      playlists.put(name, p);
      assertThat(p.ended()).as(name + " ends with EXT-X-ENDLIST").isTrue();
      for (int i = 0; i < p.durations().size(); i++) {
        double d = p.durations().get(i);
        assertThat(Math.round(d)).as(name + " segment " + i + " within the target duration").isLessThanOrEqualTo(p.target());
        assertThat(d).as(name + " segment " + i).isLessThanOrEqualTo(1.0 + 1e-6);
        if (i < p.durations().size() - 1) {
          assertThat(d).as(name + " segment " + i + " is a whole segment").isCloseTo(1.0, within(0.001));
        }
        assertThat(out.resolve(p.uris().get(i))).as(name + " segment " + i).isRegularFile();
      }
      assertThat(p.durations().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(4.5, within(0.1));
      List<Map<String, String>> streams = MediaFixtures.independentStreams(file);
      assertThat(streams).extracting(s -> s.get("codec_type")).containsExactly("video", "audio");
      assertThat(streams.get(0).get("height")).isEqualTo(name.replace("p", ""));
    }
    assertThat(playlists.get("360p").durations()).as("segment boundaries of 360p and 480p")
        .isEqualTo(playlists.get("480p").durations());
    assertThat(playlists.get("240p").durations()).as("segment boundaries of 240p and 480p")
        .isEqualTo(playlists.get("480p").durations());

    List<Map<String, String>> master = masterVariants(out.resolve("master.m3u8"));
    assertThat(master).extracting(v -> v.get("URI")).containsExactly("480p.m3u8", "360p.m3u8", "240p.m3u8");
    for (Map<String, String> v : master) {
      String name = v.get("URI").replace(".m3u8", "");
      Path first = out.resolve(playlists.get(name).uris().get(0));
      Map<String, String> video = MediaFixtures.independentStreams(first).get(0);
      assertThat(v.get("RESOLUTION")).isEqualTo(video.get("width") + "x" + video.get("height"));
      assertThat(v.get("CODECS")).as(name).isEqualTo(avcCodec(first) + ",mp4a.40.2");
      Playlist p = playlists.get(name);
      long bits = 0;
      long peak = 0;
      for (int i = 0; i < p.uris().size(); i++) {
        long b = 8 * size(out.resolve(p.uris().get(i)));
        bits += b;
        peak = Math.max(peak, (long) Math.ceil(b / p.durations().get(i)));
      }
      assertThat(Long.parseLong(v.get("BANDWIDTH"))).as(name + " BANDWIDTH is the peak segment bit rate").isEqualTo(peak);
      assertThat((double) Long.parseLong(v.get("AVERAGE-BANDWIDTH"))).as(name + " AVERAGE-BANDWIDTH")
          .isCloseTo(bits / 4.5, within(bits / 4.5 * 0.01));
    }
    String programs = MediaFixtures.run(List.of("ffprobe", "-v", "error", "-show_entries", "program=program_id",
        "-of", "default=nw=1", out.resolve("master.m3u8").toString()));
    assertThat(programs.lines().filter(l -> l.startsWith("program_id="))).as("variant streams ffprobe finds through the master")
        .containsExactly("program_id=0", "program_id=1", "program_id=2");
  }

  @Test
  void aLadderNeverUpscales() {
    Path clip = MediaFixtures.sample(dir, "clip.mp4", 854, 480, 1);

    HlsResult r = hls.write(clip, dir.resolve("ladder"), HlsOptions.newBuilder().heights(List.of(1080, 720, 480)).build(),
        ProgressListener.NONE);

    assertThat(r.rungs()).extracting(HlsRung::name).containsExactly("480p");
    assertThat(r.rungs().get(0).height()).isEqualTo(480);
    assertThat(r.dropped()).containsExactly(1080, 720);
    assertThat(masterVariants(dir.resolve("ladder/master.m3u8"))).extracting(v -> v.get("URI")).containsExactly("480p.m3u8");
    assertThat(dir.resolve("ladder/720p.m3u8")).doesNotExist();
  }

  @Test
  void aSourceShorterThanEveryRungGetsOneRungOfItsOwnHeight() {
    Path clip = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 1);

    HlsResult r = hls.write(clip, dir.resolve("ladder"), HlsOptions.newBuilder().heights(List.of(1080, 720, 480)).build(),
        ProgressListener.NONE);

    assertThat(r.rungs()).extracting(HlsRung::name).containsExactly("240p");
    assertThat(r.rungs().get(0).width()).isEqualTo(320);
  }

  @Test
  void aFailedLadderLeavesNothingBehind() throws IOException {
    Path clip = MediaFixtures.sample(dir, "clip.mp4", 854, 480, 4);
    Path out = dir.resolve("ladder");

    assertThatThrownBy(() -> hls.write(clip, out, HlsOptions.newBuilder().timeout(Duration.ofMillis(50)).build(),
        ProgressListener.NONE)).isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));

    assertThat(out).doesNotExist();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("clip.mp4");
    }
  }

  @Test
  void aLadderIsNotWrittenOverAFolderThatIsThere() throws IOException {
    Path clip = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 1);
    Path out = Files.createDirectories(dir.resolve("ladder"));
    Files.writeString(out.resolve("mine.txt"), "kept\n");

    assertThatThrownBy(() -> hls.write(clip, out, HlsOptions.newBuilder().build(), ProgressListener.NONE))
        .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUTPUT_EXISTS));

    try (Stream<Path> files = Files.list(out)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("mine.txt");
    }
  }

  /** A media playlist read line by line, apart from Spool's own reader. */
  private record Playlist(int target, List<Double> durations, List<String> uris, boolean ended) {
    static Playlist read(Path file) {
      List<String> lines = lines(file);
      assertThat(lines.get(0)).isEqualTo("#EXTM3U");
      int target = -1;
      List<Double> durations = new ArrayList<>();
      List<String> uris = new ArrayList<>();
      for (String line : lines) {
        if (line.startsWith("#EXT-X-TARGETDURATION:")) {
          target = Integer.parseInt(line.substring(22));
        } else if (line.startsWith("#EXTINF:")) {
          durations.add(Double.parseDouble(line.substring(8, line.indexOf(','))));
        } else if (!line.isBlank() && !line.startsWith("#")) {
          uris.add(line);
        }
      }
      assertThat(target).as("EXT-X-TARGETDURATION of " + file.getFileName()).isPositive();
      assertThat(uris).hasSameSizeAs(durations);
      return new Playlist(target, durations, uris, lines.contains("#EXT-X-ENDLIST"));
    }
  }

  /** Each EXT-X-STREAM-INF's attributes, and the URI on the line after it as {@code URI}. */
  private static List<Map<String, String>> masterVariants(Path master) {
    List<String> lines = lines(master);
    assertThat(lines.get(0)).isEqualTo("#EXTM3U");
    Pattern attribute = Pattern.compile("([A-Z-]+)=(\"[^\"]*\"|[^,]*)");
    List<Map<String, String>> variants = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("#EXT-X-STREAM-INF:")) {
        Map<String, String> v = new LinkedHashMap<>();
        Matcher m = attribute.matcher(lines.get(i).substring(18));
        while (m.find()) {
          v.put(m.group(1), m.group(2).replace("\"", ""));
        }
        v.put("URI", lines.get(i + 1));
        variants.add(v);
      }
    }
    return variants;
  }

  /** {@code avc1.PPCCLL} from the sequence parameter set as ffmpeg's trace_headers bitstream filter logs it. */
  private static String avcCodec(Path segment) {
    String log = runForStderr(List.of("ffmpeg", "-hide_banner", "-i", segment.toString(), "-map", "0:v", "-c", "copy",
        "-bsf:v", "trace_headers", "-frames:v", "1", "-f", "null", "-"));
    int profile = field(log, "profile_idc");
    int constraints = 0;
    for (int i = 0; i <= 5; i++) {
      constraints |= field(log, "constraint_set" + i + "_flag") << (7 - i);
    }
    return String.format("avc1.%02x%02x%02x", profile, constraints, field(log, "level_idc"));
  }

  private static int field(String log, String name) {
    Matcher m = Pattern.compile("\\s" + name + "\\s+\\S+\\s+=\\s+(\\d+)").matcher(log);
    assertThat(m.find()).as(name + " in the trace").isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static String runForStderr(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("exit of " + command).isZero();
      return err;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
