package io.spool.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.FFprobe;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.Preset;
import io.spool.media.TranscodeOptions;
import io.spool.media.Transcoder;
import io.spool.media.testing.MediaFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An input described without ffprobe ({@link Mp4Check#readInput}) must plan exactly the transcode
 * that ffprobe's description plans, for every corpus file and for generated files with the
 * properties a plan depends on; what it cannot be sure of it leaves to ffprobe.
 */
class Mp4InputTest {
  private static final Path VARIANTS = variants();

  /** Generated one-second files, each with one property that matters to a plan. */
  private static Path variants() {
    try {
      Path dir = Files.createTempDirectory("spool-mp4-input-");
      String ffmpeg = MediaFixtures.tools().ffmpeg().toString();
      String[] av = {"-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=1",
          "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1"};
      Map<String, List<String>> made = new LinkedHashMap<>();
      made.put("plain.mp4", List.of("-c:v", "libx264", "-c:a", "aac"));
      made.put("plain.mov", List.of("-c:v", "libx264", "-c:a", "aac"));
      made.put("mono.mp4", List.of("-c:v", "libx264", "-c:a", "aac", "-ac", "1"));
      made.put("six_channels.mp4", List.of("-c:v", "libx264", "-c:a", "aac", "-ac", "6"));
      made.put("anamorphic.mp4", List.of("-vf", "setsar=4/3", "-c:v", "libx264", "-c:a", "aac"));
      made.put("anamorphic_in_stream_only.mp4", List.of("-c:v", "libx264", "-c:a", "aac",
          "-bsf:v", "h264_metadata=sample_aspect_ratio=4/3"));
      made.put("full_range.mp4", List.of("-c:v", "libx264", "-pix_fmt", "yuvj420p", "-color_range", "pc", "-c:a", "aac"));
      made.put("full_range_no_colr.mp4", List.of("-c:v", "libx264", "-pix_fmt", "yuvj420p", "-color_range", "pc",
          "-movflags", "-write_colr", "-c:a", "aac"));
      made.put("bt709.mp4", List.of("-c:v", "libx264", "-color_primaries", "bt709", "-color_trc", "bt709",
          "-colorspace", "bt709", "-c:a", "aac"));
      made.put("hlg_10bit.mp4", List.of("-c:v", "libx264", "-pix_fmt", "yuv420p10le", "-color_primaries", "bt2020",
          "-color_trc", "arib-std-b67", "-colorspace", "bt2020nc", "-c:a", "aac"));
      made.put("pq_no_colr.mp4", List.of("-c:v", "libx264", "-color_primaries", "bt2020", "-color_trc", "smpte2084",
          "-colorspace", "bt2020nc", "-movflags", "-write_colr", "-c:a", "aac"));
      made.put("interlaced.mp4", List.of("-c:v", "libx264", "-flags", "+ildct+ilme", "-x264-params", "tff=1", "-c:a", "aac"));
      made.put("baseline.mp4", List.of("-c:v", "libx264", "-profile:v", "baseline", "-c:a", "aac"));
      made.put("yuv444.mp4", List.of("-c:v", "libx264", "-pix_fmt", "yuv444p", "-c:a", "aac"));
      made.put("cropped_ntsc.mp4", List.of("-vf", "crop=318:238,fps=30000/1001", "-c:v", "libx264", "-an"));
      made.put("silent_track_off.mp4", List.of("-c:v", "libx264", "-c:a", "aac", "-disposition:a", "0"));
      made.put("subtitled.mp4", List.of("-c:v", "libx264", "-c:a", "aac"));
      for (Map.Entry<String, List<String>> e : made.entrySet()) {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-v", "error", "-nostdin", "-y"));
        cmd.addAll(List.of(av));
        if (e.getKey().equals("subtitled.mp4")) {
          Path srt = Files.writeString(dir.resolve("s.srt"), "1\n00:00:00,000 --> 00:00:00,500\nhello\n");
          cmd.addAll(List.of("-i", srt.toString(), "-c:s", "mov_text"));
        }
        cmd.addAll(e.getValue());
        cmd.add(dir.resolve(e.getKey()).toString());
        MediaFixtures.run(cmd);
      }
      MediaFixtures.run(List.of(ffmpeg, "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "sine=duration=1",
          "-c:a", "aac", dir.resolve("audio_only.m4a").toString()));
      MediaFixtures.run(List.of(ffmpeg, "-v", "error", "-nostdin", "-y", "-i", dir.resolve("plain.mp4").toString(),
          "-i", MediaFixtures.media("bear_id3_coverart.mp3").toString(), "-map", "0", "-map", "1:v",
          "-c", "copy", "-disposition:v:1", "attached_pic", dir.resolve("cover_art.mp4").toString()));
      Path meta = Files.writeString(dir.resolve("chapters.txt"),
          ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\ntitle=one\n");
      MediaFixtures.run(List.of(ffmpeg, "-v", "error", "-nostdin", "-y", "-i", dir.resolve("plain.mp4").toString(),
          "-i", meta.toString(), "-map_metadata", "1", "-map_chapters", "1", "-c", "copy",
          dir.resolve("chapters.mp4").toString()));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void removeVariants() throws IOException {
    FileTrees.delete(VARIANTS);
  }

  static List<Path> inputs() {
    try (Stream<Path> generated = Files.list(VARIANTS)) {
      List<Path> all = new ArrayList<>(MediaFixtures.corpusFiles());
      generated.filter(p -> !p.toString().matches(".*\\.(srt|txt)")).sorted().forEach(all::add);
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void describesOnlyWhatItPlansAsFfprobeWould(Path file) {
    Optional<MediaInfo> read = Mp4Check.readInput(file);
    if (read.isEmpty()) {
      return;
    }
    MediaInfo mine = read.get();
    MediaInfo probed = FFprobe.using(MediaFixtures.tools()).probe(file);

    assertThat(mine.durationSeconds()).isCloseTo(probed.durationSeconds(), within(0.05));
    assertThat(mine.streams()).hasSameSizeAs(probed.streams());
    for (MediaStream s : mine.streams()) {
      MediaStream p = probed.streams().get(s.index());
      String where = file.getFileName() + " stream " + s.index();
      assertThat(s).as(where)
          .extracting(MediaStream::type, MediaStream::codec, MediaStream::profile, MediaStream::pixelFormat,
              MediaStream::width, MediaStream::height, MediaStream::rotation, MediaStream::displayWidth,
              MediaStream::displayHeight, MediaStream::interlaced, MediaStream::color, MediaStream::channels,
              MediaStream::channelLayout, MediaStream::sampleRate, MediaStream::language, MediaStream::dispositions)
          .containsExactly(p.type(), p.codec(), p.profile(), p.pixelFormat(), p.width(), p.height(), p.rotation(),
              p.displayWidth(), p.displayHeight(), p.interlaced(), p.color(), p.channels(), p.channelLayout(),
              p.sampleRate(), p.language(), p.dispositions());
      assertThat(s.durationSeconds()).as(where).isCloseTo(p.durationSeconds(), within(0.1));
    }
    Path target = Path.of("/out/x.mp4");
    for (Preset preset : Preset.values()) {
      for (Integer height : new Integer[] {null, 144}) {
        TranscodeOptions o = TranscodeOptions.newBuilder().preset(preset).height(height).threads(1).build();
        assertThat(Transcoder.plan(mine, o, target).arguments()).as(file.getFileName() + " " + preset + " " + height)
            .isEqualTo(Transcoder.plan(probed, o, target).arguments());
      }
    }
  }

  @Test
  void plainFilesAreReadAndDoubtfulOnesLeftToFfprobe() {
    for (String plain : List.of("plain.mp4", "mono.mp4", "anamorphic.mp4", "full_range.mp4",
        "full_range_no_colr.mp4", "bt709.mp4", "hlg_10bit.mp4", "pq_no_colr.mp4", "baseline.mp4",
        "cropped_ntsc.mp4", "audio_only.m4a")) {
      assertThat(Mp4Check.readInput(VARIANTS.resolve(plain))).as(plain).isPresent();
    }
    for (String doubtful : List.of("interlaced.mp4", "cover_art.mp4", "chapters.mp4", "six_channels.mp4",
        "subtitled.mp4")) {
      assertThat(Mp4Check.readInput(VARIANTS.resolve(doubtful))).as(doubtful).isEmpty();
    }
    for (String turned : List.of("h264_aac_rot270_720p_5s.mp4", "pixel7_h264_rot180_videoonly.mp4")) {
      assertThat(Mp4Check.readInput(MediaFixtures.media(turned))).as(turned).isEmpty();
    }
    for (Path damaged : MediaFixtures.corpusFiles().stream().filter(MediaFixtures::damaged).toList()) {
      assertThat(Mp4Check.readInput(damaged)).as(damaged.getFileName().toString()).isEmpty();
    }
  }
}
