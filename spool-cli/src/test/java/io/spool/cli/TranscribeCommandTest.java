package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.MediaFixtures;
import io.spool.transcribe.testing.WordErrorRate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscribeCommandTest {
  @TempDir static Path home;
  @TempDir Path dir;

  @BeforeAll
  static void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  private Path jfk() throws Exception {
    return Files.copy(MediaFixtures.media("jfk.wav"), dir.resolve("jfk.wav"));
  }

  private static Path stubModel() {
    return MediaFixtures.testModel("for-tests-ggml-tiny.en.bin");
  }

  private Set<String> filesIn(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  @Test
  void transcribesAsAJobIntoEveryFormatWithTextLanguageSpeedAndCost() throws Exception {
    Path in = jfk();
    Path out = dir.resolve("subs");

    Cli.Result r = Cli.run("transcribe", in.toString(), "--engine", "pocketsphinx", "--format", "txt,srt,vtt,json",
        "--out", out.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(filesIn(out)).containsExactlyInAnyOrder("jfk.txt", "jfk.srt", "jfk.vtt", "jfk.json");
    JsonNode json = Json.MAPPER.readTree(r.out());
    assertThat(json.at("/result/engine").asText()).isEqualTo("pocketsphinx");
    assertThat(json.at("/result/language").asText()).isEqualTo("en");
    assertThat(json.at("/result/durationSeconds").asDouble()).isEqualTo(11.0);
    assertThat(json.at("/result/text").asText()).contains("country");
    assertThat(json.at("/result/segments").size()).isPositive();
    assertThat(json.at("/result/segments/0/endSeconds").asDouble()).isPositive();
    assertThat(json.at("/result/realTimeFactor").asDouble()).isPositive();
    assertThat(json.at("/result/outputs")).hasSize(4);
    assertThat(json.at("/cost/totalUsd").asDouble()).isPositive();
    assertThat(Files.readString(out.resolve("jfk.txt"))).contains("country");
    assertThat(Files.readString(out.resolve("jfk.srt"))).startsWith("1\n00:00:");
    assertThat(Files.readString(out.resolve("jfk.vtt"))).startsWith("WEBVTT\n\n");
    assertThat(Json.MAPPER.readTree(out.resolve("jfk.json").toFile()).get("text").asText())
        .isEqualTo(json.at("/result/text").asText());

    Cli.Result show = Cli.run("jobs", "show", json.at("/job").asText(), "--json");
    JsonNode record = Json.MAPPER.readTree(show.out());
    assertThat(record.at("/type").asText()).isEqualTo("transcribe");
    assertThat(record.at("/state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void embedPutsTheSubtitlesIntoACopyOfTheVideoAsASoftTrack() throws Exception {
    Path video = MediaFixtures.media("h264_aac_stereo_360p_17s.mp4");
    Path mp4 = dir.resolve("with-subs.mp4");
    Path mkv = dir.resolve("with-subs.mkv");

    Cli.Result r = Cli.run("transcribe", video.toString(), "--engine", "pocketsphinx", "--embed", mp4.toString(), "--quiet");
    Cli.Result r2 = Cli.run("transcribe", video.toString(), "--engine", "pocketsphinx", "--embed", mkv.toString(), "--quiet");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r2.exitCode()).as(r2.err()).isZero();
    assertThat(MediaFixtures.independentStreams(mp4)).extracting(m -> m.get("codec_type") + ":" + m.get("codec_name"))
        .containsExactly("video:h264", "audio:aac", "subtitle:mov_text");
    assertThat(MediaFixtures.independentStreams(mkv)).extracting(m -> m.get("codec_type") + ":" + m.get("codec_name"))
        .containsExactly("video:h264", "audio:aac", "subtitle:subrip");
    assertThat(MediaFixtures.independentDuration(mp4)).isCloseTo(17.06, org.assertj.core.api.Assertions.within(0.1));
    assertThat(filesIn(dir)).containsExactlyInAnyOrder("with-subs.mp4", "with-subs.mkv"); // --embed alone: no transcript files
  }

  @Test
  void embedKeepsTheInputsOwnSubtitleTracksAheadOfTheNewOne() throws Exception {
    Path srt = Files.writeString(dir.resolve("fr.srt"), "1\n00:00:01,000 --> 00:00:03,000\nBonsoir\n");
    Path in = dir.resolve("subbed.mp4");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "color=size=160x120:rate=10",
        "-i", MediaFixtures.media("jfk.wav").toString(), "-i", srt.toString(), "-map", "0:v", "-map", "1:a", "-map", "2:s",
        "-c:v", "libx264", "-c:a", "aac", "-c:s", "mov_text", "-metadata:s:s:0", "language=fra", "-shortest", in.toString()));
    Path mp4 = dir.resolve("both.mp4");
    Path mkv = dir.resolve("both.mkv");

    Cli.Result r = Cli.run("transcribe", in.toString(), "--engine", "pocketsphinx", "--embed", mp4.toString(), "--quiet");
    Cli.Result r2 = Cli.run("transcribe", in.toString(), "--engine", "pocketsphinx", "--embed", mkv.toString(), "--quiet");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r2.exitCode()).as(r2.err()).isZero();
    assertThat(MediaFixtures.independentStreams(mp4)).extracting(m -> m.get("codec_type") + ":" + m.get("codec_name"))
        .containsExactly("video:h264", "audio:aac", "subtitle:mov_text", "subtitle:mov_text");
    assertThat(MediaFixtures.independentStreams(mkv)).extracting(m -> m.get("codec_type") + ":" + m.get("codec_name"))
        .containsExactly("video:h264", "audio:aac", "subtitle:subrip", "subtitle:subrip");
    for (Path made : List.of(mp4, mkv)) {
      assertThat(MediaFixtures.run(List.of("ffprobe", "-v", "error", "-select_streams", "s", "-show_entries",
          "stream_tags=language", "-of", "csv=p=0", made.toString())).strip().split("\\R"))
          .as(made.toString()).containsExactly("fra", "eng");
    }
    assertThat(MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-i", mkv.toString(), "-map", "0:s:0", "-f", "srt", "-")))
        .contains("Bonsoir");
  }

  @Test
  void aJobThatPrefersAGpuRecognisesOnTheCpuAndSaysSoOneThatRequiresOneIsRefused() throws Exception {
    Path in = jfk();

    Cli.Result prefers = Cli.run("transcribe", in.toString(), "--engine", "pocketsphinx", "--gpu", "any", "--json");
    Cli.Result requires = Cli.run("transcribe", in.toString(), "--engine", "pocketsphinx", "--require-gpu",
        "--format", "vtt", "--json");

    assertThat(prefers.exitCode()).as(prefers.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(prefers.out());
    assertThat(json.at("/result/fallback").asText()).contains("on the CPU", "no GPU support");
    assertThat(json.at("/cost/gpuUsd").asDouble()).isZero();
    assertThat(requires.exitCode()).as(requires.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(Json.MAPPER.readTree(requires.out()).at("/error/message").asText()).contains("--require-gpu");
    assertThat(filesIn(dir)).containsExactlyInAnyOrder("jfk.wav", "jfk.txt", "jfk.srt"); // none from --require-gpu
  }

  @Test
  void aBatchWithoutAWhisperModelExitsAsEnvironmentBeforeAnyItemRuns() throws Exception {
    assumeTrue(System.getenv("SPOOL_WHISPER_MODEL") == null, "skipped: SPOOL_WHISPER_MODEL names a model here");
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.copy(MediaFixtures.media("jfk.wav"), in.resolve("a.wav"));
    Files.copy(MediaFixtures.media("jfk.wav"), in.resolve("b.wav"));
    Path out = dir.resolve("out");

    Cli.Result r = Cli.run("batch", "transcribe", in.toString(), "--out", out.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("no Whisper model", "ggml-base.en.bin", "[ENVIRONMENT]");
    assertThat(out).doesNotExist();
  }

  @Test
  void anInputWithoutAudioExitsAsInvalidInput() {
    Cli.Result r = Cli.run("transcribe", MediaFixtures.media("webm_vp9_videoonly_bear.webm").toString(),
        "--engine", "pocketsphinx", "--out", dir.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("has no audio stream", "[INVALID_INPUT]");
  }

  @Test
  void aMissingModelExitsAsEnvironmentNamingTheFileToGetAndWhere() throws Exception {
    Path in = jfk();
    Path missing = dir.resolve("ggml-medium.bin");

    Cli.Result r = Cli.run("transcribe", in.toString(), "--model", missing.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains(missing + " does not exist", "ggml-base.en.bin", home.resolve("models").toString(),
        "[ENVIRONMENT]");
    assertThat(filesIn(dir)).containsExactly("jfk.wav");

    Cli.Result folder = Cli.run("transcribe", in.toString(), "--model", dir.toString());
    assertThat(folder.exitCode()).as(folder.err()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(folder.err()).contains(dir + " is a folder, not a model file");
  }

  @Test
  void withNoModelAnywhereWhisperExitsAsEnvironmentAndSaysWhatToDo() throws Exception {
    assumeTrue(System.getenv("SPOOL_WHISPER_MODEL") == null, "skipped: SPOOL_WHISPER_MODEL names a model here");
    Cli.Result r = Cli.run("transcribe", jfk().toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.ENVIRONMENT);
    JsonNode error = Json.MAPPER.readTree(r.out()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("ENVIRONMENT");
    assertThat(error.get("retryable").asBoolean()).isFalse();
    assertThat(error.get("message").asText()).contains("ggml-base.en.bin", "huggingface.co", home.resolve("models").toString(),
        "--engine pocketsphinx");
  }

  @Test
  void aDamagedModelExitsAsEnvironment() throws Exception {
    Path cut = Files.write(dir.resolve("ggml-cut.bin"), java.util.Arrays.copyOf(Files.readAllBytes(stubModel()), 30));

    Cli.Result r = Cli.run("transcribe", jfk().toString(), "--model", cut.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(r.err()).contains(cut.toString(), "damaged", "ggml-base.en.bin").doesNotContain("((", "))");
  }

  @Test
  void theWeightlessTestModelRunsThroughWhisperAndSaysItHeardNothing() throws Exception {
    Cli.Result r = Cli.run("transcribe", jfk().toString(), "--model", stubModel().toString(), "--format", "srt", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(r.out());
    assertThat(json.at("/result/engine").asText()).isEqualTo("whisper");
    assertThat(json.at("/result/model").asText()).isEqualTo("for-tests-ggml-tiny.en.bin");
    assertThat(json.at("/result/text").asText()).isEmpty();
    assertThat(json.at("/result/note").asText()).contains("no weights");
    assertThat(json.at("/result/metrics/peakRssBytes").asLong()).isPositive();
    assertThat(Files.readString(dir.resolve("jfk.srt"))).isEmpty();
  }

  /** Nothing heard is a transcript too: the copy gets a subtitle track with no cues, as the text files are empty. */
  @Test
  void embedWithNothingHeardGivesACopyWithAnEmptySubtitleTrack() throws Exception {
    Path video = MediaFixtures.media("h264_aac_stereo_360p_17s.mp4");
    Path mp4 = dir.resolve("with-subs.mp4");
    Path mkv = dir.resolve("with-subs.mkv");

    for (Path out : List.of(mp4, mkv)) {
      Cli.Result r = Cli.run("transcribe", video.toString(), "--model", stubModel().toString(), "--embed", out.toString(),
          "--quiet");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(MediaFixtures.independentStreams(out)).extracting(m -> (Object) m.get("codec_type"))
          .containsExactly("video", "audio", "subtitle");
    }
  }

  /** A language code that Whisper does not know is refused before any work, even where no model is installed. */
  @Test
  void anUnknownLanguageIsAUsageErrorNamingIt() throws Exception {
    Path in = jfk();
    for (List<String> args : List.of(List.of("--language", "xx"), List.of("--language", "qq", "--model",
        stubModel().toString()), List.of("--language", "zz", "--engine", "whisper"))) {
      List<String> all = new java.util.ArrayList<>(List.of("transcribe", in.toString()));
      all.addAll(args);
      Cli.Result r = Cli.run(all.toArray(String[]::new));
      assertThat(r.exitCode()).as(args + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.errLines()).as(args.toString()).hasSize(1);
      assertThat(r.err()).contains("'" + args.get(1) + "'", "[BAD_ARGUMENT]");
    }
    assertThat(filesIn(dir)).containsExactly("jfk.wav");
  }

  @Test
  void anExistingOutputIsLeftAloneUnlessOverwriteIsGiven() throws Exception {
    Path in = jfk();
    Path srt = Files.writeString(dir.resolve("jfk.srt"), "an earlier transcript");

    Cli.Result r = Cli.run("transcribe", in.toString(), "--engine", "pocketsphinx");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("[OUTPUT_EXISTS]");
    assertThat(Files.readString(srt, StandardCharsets.UTF_8)).isEqualTo("an earlier transcript");
    assertThat(filesIn(dir)).containsExactlyInAnyOrder("jfk.wav", "jfk.srt"); // not even the txt, nor a temporary file

    Cli.Result again = Cli.run("transcribe", in.toString(), "--engine", "pocketsphinx", "--overwrite");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(Files.readString(srt)).startsWith("1\n");
    assertThat(filesIn(dir)).containsExactlyInAnyOrder("jfk.wav", "jfk.srt", "jfk.txt");
  }

  @Test
  void aBatchTranscribesEachInputAsAJobAndOneFailureDoesNotStopIt() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.copy(MediaFixtures.media("jfk.wav"), in.resolve("jfk.wav"));
    Files.copy(MediaFixtures.media("webm_vp9_videoonly_bear.webm"), in.resolve("bear.webm"));
    Path out = dir.resolve("out");

    Cli.Result r = Cli.run("batch", "transcribe", in.toString(), "--engine", "pocketsphinx", "--format", "srt,json",
        "--out", out.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED);
    JsonNode report = Json.MAPPER.readTree(r.out());
    assertThat(report.get("succeeded").asInt()).isEqualTo(1);
    assertThat(report.get("failed").asInt()).isEqualTo(1);
    assertThat(report.get("costUsd").asDouble()).isPositive();
    assertThat(filesIn(out)).containsExactlyInAnyOrder("jfk.srt", "jfk.json", "spool-results.jsonl");
    List<String> manifest = Files.readAllLines(out.resolve("spool-results.jsonl"));
    assertThat(manifest).hasSize(2);
    Map<String, JsonNode> byInput = new java.util.HashMap<>();
    for (String line : manifest) {
      JsonNode l = Json.MAPPER.readTree(line);
      byInput.put(Path.of(l.get("input").asText()).getFileName().toString(), l);
    }
    assertThat(byInput.get("jfk.wav").get("status").asText()).isEqualTo("succeeded");
    assertThat(byInput.get("jfk.wav").at("/details/text").asText()).contains("country");
    assertThat(byInput.get("bear.webm").get("errorCode").asText()).isEqualTo("INVALID_INPUT");
    assertThat(Files.readString(out.resolve("jfk.srt"))).startsWith("1\n00:00:");
  }

  /**
   * Long speech is cut in its pauses into pieces that jobs transcribe side by side, and the joined
   * transcript matches one pass over the whole within the recogniser's own variation: here the
   * JFK sentence six times over, whose repetitions a single pass already hears differently.
   */
  @Test
  void longSpeechIsTranscribedInPiecesThatJoinIntoWhatOnePassHears() throws Exception {
    Path padded = dir.resolve("padded.wav");
    Path six = dir.resolve("six.wav");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-i", MediaFixtures.media("jfk.wav").toString(),
        "-af", "apad=pad_dur=1", padded.toString()));
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-stream_loop", "5", "-i", padded.toString(), "-c", "copy",
        six.toString())); // 6 x 12 s

    Cli.Result split = Cli.run("transcribe", six.toString(), "--engine", "pocketsphinx", "--piece-length", "20s",
        "--format", "srt", "--out", dir.resolve("split").toString(), "--json");
    Cli.Result whole = Cli.run("transcribe", six.toString(), "--engine", "pocketsphinx", "--piece-length", "0",
        "--format", "srt", "--out", dir.resolve("whole").toString(), "--json");

    assertThat(split.exitCode()).as(split.err()).isZero();
    assertThat(whole.exitCode()).as(whole.err()).isZero();
    JsonNode s = Json.MAPPER.readTree(split.out()).get("result");
    JsonNode w = Json.MAPPER.readTree(whole.out()).get("result");
    assertThat(s.get("pieces").asInt()).isBetween(3, 4);
    assertThat(w.get("pieces").asInt()).isEqualTo(1);
    assertThat(s.get("durationSeconds").asDouble()).isEqualTo(72.0);
    // The first piece starts where the whole does: the same audio, heard the same.
    for (int i = 0; i < 4; i++) {
      assertThat(s.at("/segments/" + i)).isEqualTo(w.at("/segments/" + i));
    }
    double last = 0;
    for (JsonNode seg : s.get("segments")) {
      assertThat(seg.get("startSeconds").asDouble()).isGreaterThanOrEqualTo(last);
      last = seg.get("endSeconds").asDouble();
    }
    assertThat(last).isLessThanOrEqualTo(72.0);
    List<String> wholeReps = repetitions(w);
    List<String> splitReps = repetitions(s);
    double ownVariation = 0;
    for (String a : wholeReps) {
      for (String b : wholeReps) {
        ownVariation = Math.max(ownVariation, WordErrorRate.of(a, b));
      }
    }
    for (int i = 0; i < 6; i++) {
      assertThat(WordErrorRate.of(wholeReps.get(i), splitReps.get(i)))
          .as("repetition %d: %s / %s", i + 1, wholeReps.get(i), splitReps.get(i)).isLessThanOrEqualTo(ownVariation);
    }
    assertThat(Files.readString(dir.resolve("split/six.srt"))).startsWith("1\n00:00:00,");
    assertThat(s.get("outputs")).hasSize(1);
  }

  /** The text heard in each 12 s repetition, by where its segments start. */
  private static List<String> repetitions(JsonNode result) {
    String[] reps = new String[] {"", "", "", "", "", ""};
    for (JsonNode seg : result.get("segments")) {
      int k = Math.min(5, (int) (seg.get("startSeconds").asDouble() / 12));
      reps[k] += " " + seg.get("text").asText();
    }
    return List.of(reps);
  }

  @Test
  void badArgumentsAreUsageErrors() throws Exception {
    Path in = jfk();
    for (List<String> args : List.of(List.of("--engine", "vosk"), List.of("--format", "docx"),
        List.of("--embed", dir.resolve("x.avi").toString()), List.of("--engine", "pocketsphinx", "--language", "de"))) {
      List<String> all = new java.util.ArrayList<>(List.of("transcribe", in.toString()));
      all.addAll(args);
      Cli.Result r = Cli.run(all.toArray(String[]::new));
      assertThat(r.exitCode()).as(args + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.errLines()).as(args.toString()).hasSize(1);
    }
    assertThat(filesIn(dir)).isEqualTo(Set.of("jfk.wav"));
  }
}
