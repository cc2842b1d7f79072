package io.spool.media.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.BadArgumentException;
import io.spool.media.InvalidInputException;
import io.spool.media.ProgressListener;
import io.spool.media.testing.LoudnessMeter;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioTest {
  @TempDir Path dir;

  private Audio audio() {
    return Audio.using(MediaFixtures.tools());
  }

  @ParameterizedTest(name = "{0} to {1}")
  @CsvSource({"jfk.wav, -16, -1.5, 11, out.wav", "live_music_stereo_44k.flac, -16, -1.5, 11, out.m4a",
      "jfk.wav, -23, -2, 7, out.mp3", "live_music_stereo_44k.flac, -14, -1, 11, out.opus"})
  void normalizedAudioMeasuresWithinOneLuOfTheTarget(String source, double i, double tp, double lra, String name) {
    Path out = dir.resolve(name);
    LoudnessTarget target = new LoudnessTarget(i, tp, lra);

    AudioResult r = audio().normalize(MediaFixtures.media(source), out, name, target, 2, null, ProgressListener.NONE);

    // Measured independently by ffmpeg's ebur128 filter on the file as written.
    LoudnessMeter.Reading measured = LoudnessMeter.measure(out);
    assertThat(measured.integrated()).as("integrated loudness of %s", name).isCloseTo(i, within(1.0));
    assertThat(measured.truePeak()).as("true peak of %s", name).isLessThanOrEqualTo(tp + 1.0);
    // What Spool reports is what the files measure (the two meters differ a little on short clips).
    assertThat(r.after().integrated()).isCloseTo(measured.integrated(), within(1.0));
    assertThat(r.before().integrated()).isCloseTo(LoudnessMeter.measure(MediaFixtures.media(source)).integrated(), within(1.0));
    assertThat(r.target()).isEqualTo(target);
    assertThat(r.durationSeconds()).isCloseTo(MediaFixtures.independentDuration(MediaFixtures.media(source)), within(0.2));
    assertThat(r.metrics().cpuSeconds()).isPositive();
  }

  @Test
  void aVideoKeepsItsPictureWhenNormalizedIntoAVideoContainer() {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 3);
    Path out = dir.resolve("loud.mp4");

    AudioResult r = audio().normalize(in, out, "loud.mp4", LoudnessTarget.DEFAULT, 2, null, ProgressListener.NONE);

    assertThat(r.videoKept()).isTrue();
    assertThat(MediaFixtures.independentStreams(out)).extracting(s -> s.get("codec_name")).containsExactly("h264", "aac");
    assertThat(LoudnessMeter.measure(out).integrated()).isCloseTo(-16, within(1.0));
  }

  @Test
  void extractsSpeechAs16KilohertzMonoWav() {
    Path in = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2);
    Path out = dir.resolve("speech.wav");

    AudioResult r = audio().extract(in, out, "speech.wav", AudioFormat.WAV16K, 1, null, ProgressListener.NONE);

    Map<String, String> s = MediaFixtures.independentStreams(out).get(0);
    assertThat(s).containsEntry("codec_name", "pcm_s16le").containsEntry("channels", "1");
    assertThat(MediaFixtures.run(List.of("ffprobe", "-v", "error", "-show_entries", "stream=sample_rate", "-of", "csv=p=0",
        out.toString())).strip()).isEqualTo("16000");
    assertThat(r.sampleRate()).isEqualTo(16000);
    assertThat(r.durationSeconds()).isCloseTo(2.0, within(0.1));
  }

  @ParameterizedTest
  @CsvSource({"MP3, a.mp3, mp3", "AAC, a.m4a, aac", "OPUS, a.opus, opus", "OPUS, a.webm, opus"})
  void extractsToEachFormat(AudioFormat format, String name, String codec) {
    Path out = dir.resolve(name);

    audio().extract(MediaFixtures.media("h264_aac_stereo_360p_17s.mp4"), out, name, format, 1, null, ProgressListener.NONE);

    assertThat(MediaFixtures.independentStreams(out)).extracting(s -> s.get("codec_name")).containsExactly(codec);
  }

  @Test
  void anInputWithoutAudioIsRefusedWithItsReason() {
    Path silentVideo = MediaFixtures.media("iphone_120fps_vfr_h264_videoonly.mp4");
    assertThatThrownBy(() -> audio().extract(silentVideo, dir.resolve("a.wav"), "a.wav", AudioFormat.WAV16K, 1, null,
        ProgressListener.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessage("iphone_120fps_vfr_h264_videoonly.mp4 has no audio track to extract");
    assertThatThrownBy(() -> audio().normalize(silentVideo, dir.resolve("a.wav"), "a.wav", LoudnessTarget.DEFAULT, 1, null,
        ProgressListener.NONE)).isInstanceOf(InvalidInputException.class).hasMessageContaining("has no audio track to normalize");
    assertThatThrownBy(() -> AudioFormat.WAV16K.muxerFor("a.mp3")).isInstanceOf(BadArgumentException.class)
        .hasMessageContaining("wav16k audio does not go in a .mp3 file");
    assertThatThrownBy(() -> new LoudnessTarget(-3, -1.5, 11)).isInstanceOf(BadArgumentException.class)
        .hasMessageContaining("integrated loudness target must be between -70 and -5 LUFS");
  }
}
