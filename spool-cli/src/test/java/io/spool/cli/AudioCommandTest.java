package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.LoudnessMeter;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioCommandTest {
  @TempDir static Path home;
  @TempDir Path dir;

  @BeforeAll
  static void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"jfk.wav, speech.wav", "live_music_stereo_44k.flac, music.m4a"})
  void normalizesSpeechAndMusicToTheTargetAndReportsTheLoudnessBeforeAndAfter(String source, String name) throws Exception {
    Path out = dir.resolve(name);

    Cli.Result r = Cli.run("audio", "normalize", MediaFixtures.media(source).toString(), out.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    LoudnessMeter.Reading measured = LoudnessMeter.measure(out);
    assertThat(measured.integrated()).isCloseTo(-16, within(1.0));
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.at("/result/target/integrated").asDouble()).isEqualTo(-16);
    assertThat(j.at("/result/target/truePeak").asDouble()).isEqualTo(-1.5);
    assertThat(j.at("/result/target/range").asDouble()).isEqualTo(11);
    assertThat(j.at("/result/after/integrated").asDouble()).isCloseTo(measured.integrated(), within(1.0));
    assertThat(j.at("/result/before/integrated").asDouble())
        .isCloseTo(LoudnessMeter.measure(MediaFixtures.media(source)).integrated(), within(1.0));
    assertThat(j.at("/result/linear").isBoolean()).isTrue();
    assertThat(j.at("/cost/totalUsd").asDouble()).isPositive();
  }

  @Test
  void normalizesToAGivenTargetWithAHumanSummary() {
    Path out = dir.resolve("quiet.mp3");

    Cli.Result r = Cli.run("audio", "normalize", MediaFixtures.media("jfk.wav").toString(), out.toString(),
        "--target-i", "-23", "--target-tp", "-2", "--target-lra", "7");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(LoudnessMeter.measure(out).integrated()).isCloseTo(-23, within(1.0));
    assertThat(r.out()).contains("normalized ", "LUFS (target -23.0)", "dBTP (at most -2.0)", "libmp3lame", "cost");
  }

  @Test
  void extractsSpeechAs16KilohertzMonoWav() throws Exception {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2);
    Path out = dir.resolve("clip.wav");

    Cli.Result r = Cli.run("audio", "extract", in.toString(), out.toString(), "--format", "wav16k", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(MediaFixtures.independentStreams(out).get(0)).containsEntry("codec_name", "pcm_s16le").containsEntry("channels", "1");
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.at("/result/audio/sampleRate").asInt()).isEqualTo(16000);
    assertThat(j.at("/result/format").asText()).isEqualTo("wav16k");
    assertThat(j.at("/result/durationSeconds").asDouble()).isCloseTo(2.0, within(0.1));

    // Without --format, the name says which.
    Cli.Result opus = Cli.run("audio", "extract", in.toString(), dir.resolve("clip.opus").toString(), "--quiet");
    assertThat(opus.exitCode()).as(opus.err()).isZero();
    assertThat(MediaFixtures.independentStreams(dir.resolve("clip.opus")).get(0)).containsEntry("codec_name", "opus");
  }

  @Test
  void anInputWithoutAudioExitsWith3AndSaysSo() {
    String video = MediaFixtures.media("iphone_120fps_vfr_h264_videoonly.mp4").toString();

    Cli.Result extract = Cli.run("audio", "extract", video, dir.resolve("a.wav").toString());
    Cli.Result normalize = Cli.run("audio", "normalize", video, dir.resolve("b.wav").toString());

    assertThat(extract.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(extract.errLines()).containsExactly(
        "spool: iphone_120fps_vfr_h264_videoonly.mp4 has no audio track to extract [INVALID_INPUT]");
    assertThat(normalize.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(normalize.errLines()).containsExactly(
        "spool: iphone_120fps_vfr_h264_videoonly.mp4 has no audio track to normalize [INVALID_INPUT]");
    assertThat(dir.resolve("a.wav")).doesNotExist();
    assertThat(dir.resolve("b.wav")).doesNotExist();
  }

  @Test
  void badTargetsAndNamesAreUsageErrors() throws Exception {
    String speech = MediaFixtures.media("jfk.wav").toString();

    Cli.Result loud = Cli.run("audio", "normalize", speech, dir.resolve("x.wav").toString(), "--target-i", "0");
    Cli.Result misnamed = Cli.run("audio", "extract", speech, dir.resolve("x.mp3").toString(), "--format", "opus");

    assertThat(loud.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(loud.errLines()).singleElement().asString().contains("integrated loudness target must be between -70 and -5 LUFS");
    assertThat(misnamed.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(misnamed.errLines()).singleElement().asString().contains("opus audio does not go in a .mp3 file");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
