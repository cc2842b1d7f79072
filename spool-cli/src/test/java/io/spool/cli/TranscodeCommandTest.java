package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.MediaFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TranscodeCommandTest {
  private static final byte[] PRECIOUS = "an earlier result that must survive".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path home;
  @TempDir Path dir;

  @BeforeAll
  static void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  private Path clip(String name) {
    return MediaFixtures.sample(dir, name, 320, 240, 2);
  }

  private Set<String> filesIn(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  @Test
  void transcodesAsAJobWithARecordUsageAndCost() throws Exception {
    Path in = clip("in.mp4");
    Path out = dir.resolve("out.mp4");

    Cli.Result r = Cli.run("transcode", in.toString(), out.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(r.out());
    assertThat(json.at("/result/output").asText()).isEqualTo(out.toString());
    assertThat(json.at("/result/preset").asText()).isEqualTo("web");
    assertThat(json.at("/result/size").asText()).isEqualTo("320x240");
    assertThat(json.at("/result/streams").asText()).isEqualTo("h264/aac");
    assertThat(json.at("/result/attempts").asInt()).isEqualTo(1);
    assertThat(json.at("/result/metrics/userSeconds").asDouble()).isPositive();
    assertThat(json.at("/result/metrics/peakRssBytes").asLong()).isPositive();
    assertThat(json.at("/result/speed").asDouble()).isPositive();
    assertThat(json.at("/cost/totalUsd").asDouble()).isPositive();
    assertThat(MediaFixtures.independentStreams(out)).extracting(m -> m.get("codec_name")).containsExactly("h264", "aac");

    // The job has its durable record, with the whole machine's cores as its allowance.
    Cli.Result show = Cli.run("jobs", "show", json.at("/job").asText(), "--json");
    assertThat(show.exitCode()).as(show.err()).isZero();
    JsonNode record = Json.MAPPER.readTree(show.out());
    assertThat(record.at("/state").asText()).isEqualTo("SUCCEEDED");
    assertThat(record.at("/output").asText()).isEqualTo(out.toString());
    assertThat(record.at("/resources/cpu").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(record.at("/outcome/cost/totalUsd").asDouble()).isEqualTo(json.at("/cost/totalUsd").asDouble());
  }

  @Test
  void transcodesWithinAVolume() throws Exception {
    assertThat(Cli.run("volume", "create", "tv").exitCode()).isZero();
    assertThat(Cli.run("volume", "put", clip("in.mp4").toString(), "tv:raw/").exitCode()).isZero();

    Cli.Result r = Cli.run("transcode", "tv:raw/in.mp4", "--preset", "preview", "--quiet");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("tv:raw/in.preview.mp4");
    Path back = dir.resolve("back.mp4");
    assertThat(Cli.run("volume", "get", "tv:raw/in.preview.mp4", back.toString()).exitCode()).isZero();
    assertThat(MediaFixtures.independentStreams(back)).extracting(m -> m.get("codec_name")).containsExactly("h264", "aac");
  }

  @Test
  void humanSummaryHasSizesSpeedCpuMemoryAndCost() {
    Path in = clip("in.mp4");
    Cli.Result r = Cli.run("transcode", in.toString(), "--preset", "preview", "--height", "120");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("in.preview.mp4", "size", "realtime", "CPU-seconds", "peak memory", "cost", "$");
    assertThat(dir.resolve("in.preview.mp4")).exists();
  }

  @Test
  void otherPresetsProduceTheirCodecs() {
    Path in = clip("in.mp4");
    for (String[] p : new String[][] {{"hevc", "hevc", "aac"}, {"vp9", "vp9", "opus"}, {"av1", "av1", "opus"}}) {
      Cli.Result r = Cli.run("transcode", in.toString(), "--preset", p[0], "--quiet");
      assertThat(r.exitCode()).as(p[0] + ": " + r.err()).isZero();
      Path out = dir.resolve("in." + p[0] + "." + (p[0].equals("hevc") ? "mp4" : "webm"));
      assertThat(MediaFixtures.independentStreams(out)).extracting(m -> m.get("codec_name"))
          .containsExactly(p[1], p[2]);
    }
  }

  /**
   * The bad inputs of the contract: each gives exit 3, one line, and leaves the output alone, even
   * when told it may replace it.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"empty", "truncated-moov-at-end", "truncated-faststart", "random-bytes", "text", "missing", "directory"})
  void badInputFailsCleanlyWithoutTouchingTheOutput(String kind) throws Exception {
    Path in = badInput(kind);
    Path out = dir.resolve("result.mp4");
    Files.write(out, PRECIOUS);
    Set<String> before = filesIn(dir);

    Cli.Result r = Cli.run("transcode", in.toString(), out.toString(), "--overwrite");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("spool: ").contains(kind.equals("missing") ? "[INPUT_NOT_FOUND]" : "[INVALID_INPUT]");
    assertThat(r.out()).isEmpty();
    assertThat(Files.readAllBytes(out)).isEqualTo(PRECIOUS);
    assertThat(filesIn(dir)).isEqualTo(before);
  }

  private Path badInput(String kind) throws Exception {
    Path p = dir.resolve(kind + ".mp4");
    switch (kind) {
      case "empty" -> Files.createFile(p);
      case "truncated-moov-at-end" -> {
        // A plain mp4 muxes its index last: cut at half, the index is gone.
        Path whole = dir.resolve("whole.mov");
        MediaFixtures.run(java.util.List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=d=2:s=320x240",
            "-c:v", "libx264", "-preset", "ultrafast", whole.toString()));
        cut(whole, p);
        Files.delete(whole);
      }
      case "truncated-faststart" -> {
        Path whole = MediaFixtures.sample(dir, "whole.mp4", 320, 240, 4);
        cut(whole, p);
        Files.delete(whole);
      }
      case "random-bytes" -> {
        byte[] b = new byte[200_000];
        new Random(42).nextBytes(b);
        Files.write(p, b);
      }
      case "text" -> {
        p = dir.resolve("notes.txt");
        Files.writeString(p, "Spool notes\n".repeat(500));
      }
      case "missing" -> p = dir.resolve("no-such-file.mp4");
      case "directory" -> Files.createDirectory(p);
      default -> throw new IllegalArgumentException(kind);
    }
    return p;
  }

  private static void cut(Path whole, Path half) throws Exception {
    byte[] b = Files.readAllBytes(whole);
    Files.write(half, java.util.Arrays.copyOf(b, b.length / 2));
  }

  /**
   * A device or a named pipe is refused from its file type alone, by transcode and probe alike:
   * opening a pipe to look at it would block until something writes to it.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"/dev/zero,a device", "fifo,a named pipe"})
  void anInputThatIsNotARegularFileIsRefusedWithoutOpeningIt(String given, String what) throws Exception {
    Path in = given.equals("fifo") ? dir.resolve("pipe.mp4") : Path.of(given);
    if (given.equals("fifo")) {
      MediaFixtures.run(java.util.List.of("mkfifo", in.toString()));
    }
    Path out = dir.resolve("out.mp4");
    String expected = "spool: input is not a regular file (" + what + "): " + in + " [INVALID_INPUT]\n";

    Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("transcode", in.toString(), out.toString()));
    Cli.Result probe = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("probe", in.toString()));

    assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).isEqualTo(expected);
    assertThat(probe.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(probe.err()).isEqualTo(expected);
    assertThat(out).doesNotExist();
  }

  @Test
  void missingInputHasItsOwnCode() {
    Cli.Result r = Cli.run("transcode", dir.resolve("nope.mp4").toString(), "--json");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("[INPUT_NOT_FOUND]");
    assertThat(r.out()).contains("\"code\" : \"INPUT_NOT_FOUND\"", "\"retryable\" : false");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"-y.mp4", "-i", "with spaces and 'quotes'.mp4", "vidéo 日本語.mp4", "http:evil.mp4", "a;b|c$(x).mp4"})
  void hostileFileNamesAreJustNames(String name) throws Exception {
    Path in = clip(name);
    Path out = dir.resolve("out " + name + ".mp4");

    Cli.Result r = Cli.run("transcode", "--quiet", "--", in.toString(), out.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(MediaFixtures.independentStreams(out)).extracting(m -> m.get("codec_name")).containsExactly("h264", "aac");
    assertThat(filesIn(dir)).containsExactlyInAnyOrder(name, out.getFileName().toString());
  }

  @Test
  void usageErrorsExitWithTwo() {
    Path in = clip("in.mp4");
    assertThat(Cli.run("transcode", in.toString(), "--preset", "nope").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run("transcode", in.toString(), "--crf", "99").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run("transcode", in.toString(), "--timeout", "soon").exitCode()).isEqualTo(ExitCodes.USAGE);
    Cli.Result bogus = Cli.run("transcode", in.toString(), "--bogus", "--json");
    assertThat(bogus.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bogus.errLines()).singleElement().asString()
        .startsWith("spool: Unknown option: '--bogus'").endsWith("(see spool transcode --help) [BAD_ARGUMENT]");
    assertThat(bogus.out()).contains("\"BAD_ARGUMENT\"");
    Cli.Result same = Cli.run("transcode", in.toString(), in.toString());
    assertThat(same.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(same.err()).contains("must not be the input");
  }

  @Test
  void anOutputThatIsTheInputThroughALinkIsRefusedAndTheInputKept() throws Exception {
    Path in = clip("in.mp4");
    byte[] before = Files.readAllBytes(in);
    Path link = Files.createSymbolicLink(dir.resolve("link.mp4"), in);

    Cli.Result r = Cli.run("transcode", in.toString(), link.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("must not be the input");
    assertThat(Files.readAllBytes(in)).isEqualTo(before);
  }

  @Test
  void timeoutEndsTheJobIsRetriedAndPublishesNothing() throws Exception {
    Path in = MediaFixtures.sample(dir, "long.mp4", 1280, 720, 20);
    Path out = dir.resolve("never.mp4");

    Cli.Result r = Cli.run("transcode", in.toString(), out.toString(), "--preset", "archive", "--timeout", "1s",
        "--retries", "1", "--json");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err()).contains("timed out", "after 2 attempts", "[TIMEOUT]");
    JsonNode error = Json.MAPPER.readTree(r.out()).at("/error");
    assertThat(error.at("/retryable").asBoolean()).isTrue();
    assertThat(error.at("/attempts").asInt()).isEqualTo(2);
    assertThat(Cli.run("jobs", "show", error.at("/job").asText()).out()).contains("TIMEOUT");
    assertThat(filesIn(dir)).containsExactly("long.mp4");
    assertThat(MediaFixtures.ffmpegProcessesMentioning(dir.toString())).isEmpty();
  }
}
