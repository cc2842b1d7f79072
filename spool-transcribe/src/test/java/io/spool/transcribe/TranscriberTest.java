package io.spool.transcribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spool.media.ErrorCode;
import io.spool.media.Progress;
import io.spool.media.SpoolException;
import io.spool.media.testing.MediaFixtures;
import io.spool.transcribe.testing.WordErrorRate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriberTest {
  /**
   * The highest word error rate the pocketsphinx engine may have on jfk.wav. Its small English
   * model hears much of this speech wrong (bench/README.md has the measured figure); the bound is
   * there to catch a pipeline that makes it worse, such as one that loses the last utterance.
   */
  static final double POCKETSPHINX_JFK_MAX_WER = 0.70;
  /** What a real Whisper model (base.en or better) must reach on jfk.wav. */
  static final double WHISPER_JFK_MAX_WER = 0.10;

  @TempDir Path scratch;
  @TempDir Path modelsFolder;

  private Transcriber transcriber() {
    return Transcriber.using(MediaFixtures.tools(), WhisperModels.in(modelsFolder, Map.of()));
  }

  private static TranscribeOptions.Builder pocketsphinx() {
    return TranscribeOptions.newBuilder().engine(SpeechEngine.POCKETSPHINX);
  }

  private static TranscribeOptions.Builder whisper(Path model) {
    return TranscribeOptions.newBuilder().engine(SpeechEngine.WHISPER).model(model).threads(2);
  }

  @Test
  void pocketsphinxRecognisesTheJfkSampleWithinItsRecordedWordErrorRate() {
    List<Progress> seen = Collections.synchronizedList(new ArrayList<>());
    TranscribeResult r = transcriber().transcribe(MediaFixtures.media("jfk.wav"), scratch, pocketsphinx().build(), seen::add);

    double wer = WordErrorRate.of(WordErrorRate.JFK, r.transcript().text());
    System.out.printf("pocketsphinx on jfk.wav: WER %.3f, real-time factor %.3f, text \"%s\"%n", wer, r.realTimeFactor(),
        r.transcript().text());
    assertThat(wer).isLessThanOrEqualTo(POCKETSPHINX_JFK_MAX_WER);
    assertThat(r.transcript().text()).contains("country");
    assertThat(r.transcript().language()).isEqualTo("en");
    assertThat(r.transcript().durationSeconds()).isEqualTo(11.0);
    assertThat(r.engine()).isEqualTo(SpeechEngine.POCKETSPHINX);
    assertInsideTheMedia(r.transcript());
    assertThat(r.metrics().cpuSeconds()).isPositive();
    assertThat(r.metrics().peakRssBytes()).isPositive();
    assertThat(seen).isNotEmpty();
    assertThat(seen.get(seen.size() - 1).done()).isTrue();
  }

  @Test
  void aVideoFilesSpeechIsTranscribedFromItsAudioTrack() {
    Path video = MediaFixtures.media("h264_aac_stereo_360p_17s.mp4");
    TranscribeResult r = transcriber().transcribe(video, scratch, pocketsphinx().build(), null);

    assertThat(r.transcript().durationSeconds()).isCloseTo(17.06, org.assertj.core.api.Assertions.within(0.01));
    assertInsideTheMedia(r.transcript());
  }

  @Test
  void anInputWithoutAudioIsInvalidInput() {
    Path silentVideo = MediaFixtures.media("webm_vp9_videoonly_bear.webm");
    for (TranscribeOptions o : List.of(pocketsphinx().build(), whisper(stub()).build())) {
      assertThatThrownBy(() -> transcriber().transcribe(silentVideo, scratch, o, null))
          .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
          .hasMessageContaining("webm_vp9_videoonly_bear.webm").hasMessageContaining("no audio");
    }
  }

  @Test
  void theWeightlessTestModelLoadsRunsAndRecognisesNothing() {
    List<Progress> seen = Collections.synchronizedList(new ArrayList<>());
    TranscribeResult r = transcriber().transcribe(MediaFixtures.media("jfk.wav"), scratch, whisper(stub()).build(), seen::add);

    assertThat(r.engine()).isEqualTo(SpeechEngine.WHISPER);
    assertThat(r.model()).isEqualTo("for-tests-ggml-tiny.en.bin");
    assertThat(r.transcript().segments()).isEmpty();
    assertThat(r.transcript().text()).isEmpty();
    assertThat(r.transcript().language()).isEqualTo("en"); // an English-only model
    assertThat(r.note()).contains("no weights");
    assertThat(r.metrics().cpuSeconds()).isPositive();
    assertThat(r.recognitionSeconds()).isPositive();
    assertThat(seen).extracting(Progress::fraction).isSorted().last().isEqualTo(1.0);
  }

  /** A process that loads whisper.cpp leaves no copy of its libraries in the temporary folder. */
  @Test
  void loadingWhisperLeavesNoCopiesOfItsLibrariesBehind() throws Exception {
    transcriber().transcribe(MediaFixtures.media("jfk.wav"), scratch, whisper(stub()).build(), null);

    List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(l -> l.contains("/whisper-jni-")).map(l -> l.substring(l.indexOf('/')).replace(" (deleted)", "").strip())
        .distinct().toList();
    assertThat(mapped).isNotEmpty(); // loaded from such copies
    assertThat(mapped).allSatisfy(lib -> assertThat(Path.of(lib).getParent()).doesNotExist());
  }

  @Test
  void aRealWhisperModelTranscribesTheJfkSampleAlmostWordForWord() {
    String real = System.getenv(WhisperModels.ENV);
    assumeTrue(real != null && !real.isBlank(), "skipped: no real Whisper model here; set " + WhisperModels.ENV
        + " to a whisper.cpp ggml model file (e.g. ggml-base.en.bin) to run it");
    TranscribeResult r = transcriber().transcribe(MediaFixtures.media("jfk.wav"), scratch,
        whisper(Path.of(real)).threads(Runtime.getRuntime().availableProcessors()).build(), null);

    double wer = WordErrorRate.of(WordErrorRate.JFK, r.transcript().text());
    System.out.printf("whisper (%s) on jfk.wav: WER %.3f, real-time factor %.3f, text \"%s\"%n", r.model(), wer,
        r.realTimeFactor(), r.transcript().text());
    assertThat(wer).isLessThanOrEqualTo(WHISPER_JFK_MAX_WER);
    assertThat(r.transcript().language()).isEqualTo("en");
    assertInsideTheMedia(r.transcript());
  }

  @Test
  void withNoModelAnywhereTheFailureNamesTheFileToGetAndWhereToPutIt() {
    assumeTrue(System.getenv(WhisperModels.ENV) == null, "skipped: " + WhisperModels.ENV + " names a model here");
    TranscribeOptions noModel = TranscribeOptions.newBuilder().build();

    assertThatThrownBy(() -> transcriber().transcribe(MediaFixtures.media("jfk.wav"), scratch, noModel, null))
        .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT))
        .hasMessageContaining("ggml-base.en.bin").hasMessageContaining(modelsFolder.toString())
        .hasMessageContaining("pocketsphinx");
  }

  @Test
  void aModelThatIsNotThereFailsAsEnvironmentNamingIt() {
    Path missing = modelsFolder.resolve("ggml-small.en.bin");
    assertThatThrownBy(() -> transcriber().transcribe(MediaFixtures.media("jfk.wav"), scratch, whisper(missing).build(), null))
        .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT))
        .hasMessageContaining(missing.toString()).hasMessageContaining("ggml-base.en.bin");
  }

  /**
   * Damaged model files fail cleanly, before native code sees them: a file cut short in its
   * header made whisper.cpp abort the whole process, one cut short in its vocabulary loaded.
   */
  @Test
  void damagedModelsFailAsEnvironmentWithoutReachingNativeCode() throws Exception {
    byte[] model = Files.readAllBytes(stub());
    byte[] tensorHeaderWithoutData = new byte[model.length + 3 * 4 + 4 + 7];
    System.arraycopy(model, 0, tensorHeaderWithoutData, 0, model.length);
    java.nio.ByteBuffer.wrap(tensorHeaderWithoutData, model.length, 3 * 4 + 4 + 7).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putInt(1).putInt(7).putInt(0).putInt(384).put("encoder".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Map<String, byte[]> damaged = Map.of(
        "empty.bin", new byte[0],
        "cut-in-header.bin", java.util.Arrays.copyOf(model, 30),
        "cut-in-vocabulary.bin", java.util.Arrays.copyOf(model, model.length / 2),
        "tensor-without-data.bin", tensorHeaderWithoutData,
        "random.bin", new java.util.Random(7).ints(4096).collect(java.io.ByteArrayOutputStream::new,
            (o, i) -> o.write(i), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray());
    for (Map.Entry<String, byte[]> d : damaged.entrySet()) {
      Path file = Files.write(modelsFolder.resolve(d.getKey()), d.getValue());
      assertThatThrownBy(() -> transcriber().transcribe(MediaFixtures.media("jfk.wav"), scratch, whisper(file).build(), null))
          .as(d.getKey())
          .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT))
          .hasMessageContaining(file.toString()).hasMessageContaining("damaged");
    }
  }

  @Test
  void aLanguageAnEnglishOnlyModelCannotSpeakIsABadArgument() {
    assertThatThrownBy(() -> transcriber().transcribe(MediaFixtures.media("jfk.wav"), scratch,
        whisper(stub()).language("de").build(), null))
        .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
        .hasMessageContaining("English-only");
    assertThatThrownBy(() -> transcriber().transcribe(MediaFixtures.media("jfk.wav"), scratch,
        pocketsphinx().language("fr").build(), null))
        .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT));
  }

  static Path stub() {
    return MediaFixtures.testModel("for-tests-ggml-tiny.en.bin");
  }

  /** Segments in order, none overlapping the next, all inside the media's duration. */
  static void assertInsideTheMedia(Transcript t) {
    double last = 0;
    for (Segment s : t.segments()) {
      assertThat(s.startSeconds()).as(s.toString()).isGreaterThanOrEqualTo(last);
      assertThat(s.endSeconds()).as(s.toString()).isGreaterThanOrEqualTo(s.startSeconds())
          .isLessThanOrEqualTo(t.durationSeconds());
      last = s.endSeconds();
    }
  }
}
