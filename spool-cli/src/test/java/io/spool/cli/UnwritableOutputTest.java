package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.ResultsManifest;
import io.spool.engine.TranscodeBatch;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Outputs that cannot be written where they were asked for fail at once, without retries, with a
 * message naming the cause and exit code 5, and leave nothing behind. Real file systems: a
 * read-only tmpfs and a tiny full one (so these tests mount, and must run as root).
 */
class UnwritableOutputTest {
  @TempDir Path home;
  @TempDir Path dir;
  private final List<Path> mounts = new ArrayList<>();

  @BeforeEach
  void isolateHome() throws Exception {
    String uid = MediaFixtures.run(List.of("id", "-u")).strip();
    assertThat(uid).as("these tests mount tmpfs file systems, which needs root; run them as root").isEqualTo("0");
    System.setProperty("spool.home", home.toString());
  }

  @AfterEach
  void unmount() {
    for (int i = mounts.size() - 1; i >= 0; i--) {
      MediaFixtures.run(List.of("umount", mounts.get(i).toString()));
    }
  }

  /** A fresh tmpfs of {@code size} at {@code name} under the test folder, read-only if asked. */
  private Path tmpfs(String name, String size, boolean readOnly) throws Exception {
    Path at = Files.createDirectories(dir.resolve(name));
    MediaFixtures.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString()));
    mounts.add(at);
    if (readOnly) {
      MediaFixtures.run(List.of("mount", "-o", "remount,ro", at.toString()));
    }
    return at;
  }

  private static List<String> namesIn(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** The JSON error of a failed transcode, checked for what every unwritable output reports. */
  private static JsonNode failedOnce(Cli.Result r, String message) throws Exception {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OUTPUT_NOT_WRITABLE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).isEqualTo("spool: " + message + " [OUTPUT_NOT_WRITABLE]\n");
    JsonNode error = Json.MAPPER.readTree(r.out()).at("/error");
    assertThat(error.at("/code").asText()).isEqualTo("OUTPUT_NOT_WRITABLE");
    assertThat(error.at("/message").asText()).isEqualTo(message);
    assertThat(error.at("/retryable").asBoolean()).isFalse();
    assertThat(error.at("/attempts").asInt()).as("never retried").isEqualTo(1);
    JsonNode record = Json.MAPPER.readTree(Cli.run("jobs", "show", error.at("/job").asText(), "--json").out());
    assertThat(record.at("/outcome/errorCode").asText()).isEqualTo("OUTPUT_NOT_WRITABLE");
    assertThat(record.at("/outcome/attempts").asInt()).isEqualTo(1);
    return error;
  }

  @Test
  void anOutputOnAReadOnlyFileSystemFailsOnceNamingIt() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 2);
    Path ro = tmpfs("ro", "1m", true);

    Cli.Result r = Cli.run("transcode", in.toString(), ro.resolve("out.mp4").toString(), "--json");

    failedOnce(r, "output folder " + ro + " is on a read-only file system");
    assertThat(namesIn(ro)).isEmpty();
  }

  @Test
  void anOutputFolderBelowAFileFailsOnceNamingTheFile() throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 320, 240, 2);
    Path file = Files.writeString(dir.resolve("afile"), "a file, not a folder");

    Cli.Result r = Cli.run("transcode", in.toString(), file.resolve("sub/out.mp4").toString(), "--json");

    failedOnce(r, "cannot create output folder " + file.resolve("sub") + ": " + file + " is a file");
    assertThat(Files.readString(file)).isEqualTo("a file, not a folder");
    assertThat(namesIn(dir)).containsExactly("afile", "in.mp4");
  }

  /**
   * ffmpeg reports a full disk in two ways: an MP4 muxer fails and ffmpeg exits 1; the WebM muxer
   * only logs that its trailer could not be written, and ffmpeg exits 0.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"web,out.mp4", "vp9,out.webm"})
  void aFullDiskFailsOnceAndLeavesNothing(String preset, String name) throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 640, 480, 2);
    Path small = tmpfs("small", "16k", false);
    Path out = small.resolve(name);

    Cli.Result r = Cli.run("transcode", in.toString(), out.toString(), "--preset", preset, "--json");

    failedOnce(r, "no space left on device writing " + out);
    assertThat(namesIn(small)).as("no output and no temporary file").isEmpty();
  }

  @Test
  void aBatchItemWritingToAReadOnlyFolderFailsOnceAndTheOthersSucceed() throws Exception {
    Path a = MediaFixtures.sample(dir, "a.mp4", 320, 240, 2);
    Path b = MediaFixtures.sample(dir, "b.mp4", 320, 240, 2);
    Path ro = tmpfs("ro", "1m", true);
    // A manifest's outputs lie inside --out: the read-only mount is a folder of it.
    Path csv = Files.writeString(dir.resolve("jobs.csv"), "input,output\n" + a + "," + dir.relativize(ro.resolve("a.mp4"))
        + "\n" + b + ",\n");
    Path out = dir;

    Cli.Result r = Cli.run("batch", "transcode", "--manifest", csv.toString(), "--out", out.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED);
    Map<String, ResultsManifest.Line> lines = ResultsManifest.latestByInput(out.resolve(TranscodeBatch.RESULTS_FILE));
    ResultsManifest.Line bad = lines.get(a.toString());
    assertThat(bad.status()).isEqualTo("failed");
    assertThat(bad.errorCode()).isEqualTo("OUTPUT_NOT_WRITABLE");
    assertThat(bad.error()).isEqualTo("output folder " + ro + " is on a read-only file system");
    assertThat(bad.attempts()).isEqualTo(1);
    assertThat(lines.get(b.toString()).status()).isEqualTo("succeeded");
    assertThat(namesIn(ro)).isEmpty();
  }
}
