package io.spool.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.FFprobe;
import io.spool.media.InvalidInputException;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.StreamType;
import io.spool.media.testing.MediaFixtures;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The MP4 read-back check against real files, cut, damaged and fragmented ones. */
class Mp4CheckTest {
  @TempDir Path dir;

  static List<Path> wholeMp4s() {
    return MediaFixtures.corpusFiles().stream()
        .filter(p -> p.getFileName().toString().matches(".*\\.(mp4|mov)"))
        .filter(p -> !MediaFixtures.damaged(p))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wholeMp4s")
  void wholeFilesPassAndReadLikeFfprobeReadsThem(Path file) {
    MediaInfo mine = Mp4Check.read(file).orElseThrow();
    MediaInfo probed = FFprobe.using(MediaFixtures.tools()).probe(file);

    assertThat(mine.durationSeconds()).isCloseTo(probed.durationSeconds(), within(0.05));
    assertThat(avStreams(mine)).extracting(MediaStream::index, MediaStream::type, MediaStream::codec)
        .containsExactlyElementsOf(avStreams(probed).stream()
            .map(s -> org.assertj.core.groups.Tuple.tuple(s.index(), s.type(), s.codec())).toList());
    for (MediaStream s : avStreams(mine)) {
      MediaFixtures.assertDescribedAsFfprobeDoes(s, probed.streams().get(s.index()));
    }
  }

  @Test
  void fileCutShortBehindWholeHeadersIsRejectedThoughFfprobeReadsIt() throws Exception {
    Path file = MediaFixtures.sample(dir, "cut.mp4", 320, 240, 2);
    assertThat(MediaFixtures.topLevelBoxes(file)).containsSubsequence("moov", "mdat");
    truncate(file, Files.size(file) - 4000);

    assertThat(FFprobe.using(MediaFixtures.tools()).probe(file).durationSeconds()).isGreaterThan(1.5);
    assertThatThrownBy(() -> Mp4Check.read(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cut.mp4 is not a whole MP4")
        .hasMessageContaining("cut short");
  }

  @Test
  void unreadableDecoderConfigurationOnlyLeavesFieldsUnknown() throws Exception {
    Path file = MediaFixtures.sample(dir, "odd.mp4", 320, 240, 1);
    byte[] bytes = Files.readAllBytes(file);
    int avcC = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("avcC");
    assertThat(avcC).isPositive();
    bytes[avcC + 4 + 6] = (byte) 0xFF;
    bytes[avcC + 4 + 7] = (byte) 0xFF;
    Files.write(file, bytes);

    MediaStream video = Mp4Check.read(file).orElseThrow().primaryVideo().orElseThrow();
    assertThat(video.codec()).isEqualTo("h264");
    assertThat(video.profile()).isNull();
    assertThat(video.pixelFormat()).isNull();
  }

  @Test
  void fileWithoutMovieHeaderIsRejected() throws Exception {
    Path file = dir.resolve("unfinished.mp4");
    MediaFixtures.run(List.of(MediaFixtures.tools().ffmpeg().toString(), "-v", "error", "-f", "lavfi",
        "-i", "testsrc2=size=160x120:rate=10:duration=1", "-c:v", "libx264", file.toString()));
    List<String> boxes = MediaFixtures.topLevelBoxes(file);
    assertThat(boxes).containsSubsequence("mdat", "moov");
    MediaFixtures.Box moov = MediaFixtures.topLevelBoxSpans(file).stream()
        .filter(b -> b.type().equals("moov")).findFirst().orElseThrow();
    truncate(file, moov.start());

    assertThatThrownBy(() -> Mp4Check.read(file)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no movie header");
  }

  @Test
  void emptyAndGarbageFilesAreRejected() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    assertThatThrownBy(() -> Mp4Check.read(empty)).hasMessageContaining("it is empty");

    byte[] noise = new byte[5000];
    new Random(7).nextBytes(noise);
    Path garbage = Files.write(dir.resolve("garbage.mp4"), noise);
    assertThatThrownBy(() -> Mp4Check.read(garbage)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("garbage.mp4 is not a whole MP4");
  }

  @Test
  void damagedCorpusFileIsRejected() {
    Path file = MediaFixtures.media("damaged_mp4_mdat_too_long.mp4");
    assertThatThrownBy(() -> Mp4Check.read(file)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a whole MP4");
  }

  @Test
  void fragmentedFileIsLeftToFfprobe() throws Exception {
    Path file = dir.resolve("fragmented.mp4");
    MediaFixtures.run(List.of(MediaFixtures.tools().ffmpeg().toString(), "-v", "error", "-f", "lavfi",
        "-i", "testsrc2=size=160x120:rate=10:duration=2", "-c:v", "libx264", "-g", "10",
        "-movflags", "frag_keyframe+empty_moov", file.toString()));
    assertThat(Mp4Check.read(file)).isEqualTo(Optional.empty());

    MediaFixtures.Box firstFragment = MediaFixtures.topLevelBoxSpans(file).stream()
        .filter(box -> box.type().equals("moof")).findFirst().orElseThrow();
    truncate(file, firstFragment.start());
    assertThat(Mp4Check.read(file)).as("only the header of a fragmented file").isEqualTo(Optional.empty());
  }

  private static List<MediaStream> avStreams(MediaInfo info) {
    return info.streams().stream().filter(s -> s.type() == StreamType.VIDEO || s.type() == StreamType.AUDIO).toList();
  }

  private static void truncate(Path file, long size) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }
}
