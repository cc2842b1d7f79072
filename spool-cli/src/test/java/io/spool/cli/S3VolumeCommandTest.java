package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.MediaFixtures;
import io.spool.volumes.S3Server;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volumes kept in an S3-compatible service (a real one, in this JVM), used from the command line. */
class S3VolumeCommandTest {
  private static S3Server s3;

  @TempDir static Path home;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("spool.home", home.toString());
    s3 = S3Server.start();
    s3.createBucket("media");
    S3Server.useCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  private static void created(String volume, String url) {
    Cli.Result r = Cli.run("volume", "create", volume, "--s3", url, "--endpoint", s3.endpoint().toString(), "--path-style");
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  private static void ok(Cli.Result r) {
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  private static String failure(Cli.Result r, int exitCode) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(exitCode);
    assertThat(r.errLines()).hasSize(1);
    return r.errLines().get(0);
  }

  @Test
  void putGetLsAndRmWorkOnAnS3VolumeAsOnALocalOne() throws Exception {
    created("s3files", "s3://media/files");
    Path clip = MediaFixtures.sample(dir, "clip.mp4", 320, 240, 1);

    ok(Cli.run("volume", "put", clip.toString(), "s3files:raw/"));
    assertThat(s3.keys("media")).contains("files/raw/clip.mp4");

    Cli.Result ls = Cli.run("volume", "ls", "s3files", "--json");
    ok(ls);
    JsonNode entries = Json.MAPPER.readTree(ls.out());
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).get("path").asText()).isEqualTo("raw/clip.mp4");
    assertThat(entries.get(0).get("sizeBytes").asLong()).isEqualTo(Files.size(clip));
    assertThat(Cli.run("volume", "ls").out()).contains("s3files");

    Path back = dir.resolve("back.mp4");
    ok(Cli.run("volume", "get", "s3files:raw/clip.mp4", back.toString()));
    assertThat(back).hasSameBinaryContentAs(clip);

    ok(Cli.run("volume", "rm", "s3files:raw/clip.mp4"));
    assertThat(s3.keys("media")).doesNotContain("files/raw/clip.mp4");
    assertThat(failure(Cli.run("volume", "rm", "s3files:raw/clip.mp4"), ExitCodes.INVALID_INPUT)).contains("s3files:raw/clip.mp4");

    Cli.Result forget = Cli.run("volume", "rm", "s3files");
    ok(forget);
    assertThat(forget.out()).contains("objects stay");
    assertThat(Cli.run("volume", "ls").out()).doesNotContain("s3files");
  }

  @Test
  void transcodeReadsAndWritesAnS3Volume() throws Exception {
    created("s3tv", "s3://media/tv");
    ok(Cli.run("volume", "put", MediaFixtures.sample(dir, "in.mp4", 320, 240, 2).toString(), "s3tv:raw/"));

    Cli.Result r = Cli.run("transcode", "s3tv:raw/in.mp4", "--preset", "preview", "--quiet");

    ok(r);
    assertThat(r.out()).contains("s3tv:raw/in.preview.mp4");
    assertThat(s3.keys("media")).contains("tv/raw/in.preview.mp4");
    Path back = dir.resolve("back.mp4");
    ok(Cli.run("volume", "get", "s3tv:raw/in.preview.mp4", back.toString()));
    assertThat(MediaFixtures.independentStreams(back)).extracting(m -> m.get("codec_name")).containsExactly("h264", "aac");
  }

  @Test
  void batchTranscodeTakesAnS3FolderAndWritesToAnother() throws Exception {
    created("s3batch", "s3://media/batch");
    ok(Cli.run("volume", "put", MediaFixtures.sample(dir, "a.mp4", 320, 240, 1).toString(), "s3batch:raw/"));
    ok(Cli.run("volume", "put", MediaFixtures.sample(dir, "b.mp4", 320, 240, 1).toString(), "s3batch:raw/"));

    Cli.Result r = Cli.run("batch", "transcode", "s3batch:raw", "--out", "s3batch:web", "--preset", "preview", "--quiet");

    ok(r);
    assertThat(s3.keys("media")).contains("batch/web/a.preview.mp4", "batch/web/b.preview.mp4");
    assertThat(s3.unfinishedUploads("media")).isEmpty();
  }

  @Test
  void aJobThatFailsLeavesNoObjectBehind() throws Exception {
    created("s3bad", "s3://media/bad");
    Path notMedia = Files.writeString(dir.resolve("broken.mp4"), "not a video at all");
    ok(Cli.run("volume", "put", notMedia.toString(), "s3bad:broken.mp4"));

    Cli.Result r = Cli.run("transcode", "s3bad:broken.mp4", "s3bad:out.mp4");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(s3.keys("media")).filteredOn(k -> k.startsWith("bad/")).containsExactly("bad/broken.mp4");
  }

  @Test
  void aMissingKeyIsAMissingInput() {
    created("s3missing", "s3://media/missing");
    assertThat(failure(Cli.run("volume", "get", "s3missing:nope.mp4", dir.resolve("x.mp4").toString()),
        ExitCodes.INVALID_INPUT)).contains("volume s3missing: nope.mp4", "[INPUT_NOT_FOUND]");
    assertThat(failure(Cli.run("transcode", "s3missing:nope.mp4", "s3missing:out.mp4"), ExitCodes.INVALID_INPUT))
        .contains("nope.mp4");
  }

  @Test
  void aMissingBucketIsRefusedWhenTheVolumeIsCreated() {
    String line = failure(Cli.run("volume", "create", "nobucket", "--s3", "s3://no-such-bucket/x",
        "--endpoint", s3.endpoint().toString(), "--path-style"), ExitCodes.ENVIRONMENT);
    assertThat(line).contains("no-such-bucket", "does not exist", "[ENVIRONMENT]");
    assertThat(Cli.run("volume", "ls").out()).doesNotContain("nobucket");
  }

  @Test
  void wrongCredentialsAreAnEnvironmentError() {
    created("s3denied", "s3://media/denied");
    S3Server.useCredentials("someone-else", "wrong");
    try {
      assertThat(failure(Cli.run("volume", "ls", "s3denied"), ExitCodes.ENVIRONMENT))
          .contains("denied", "credentials", "[ENVIRONMENT]");
    } finally {
      S3Server.useCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
    }
  }

  @Test
  void anEndpointThatDoesNotAnswerIsAnIoError() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String line = failure(Cli.run("volume", "create", "down", "--s3", "s3://media", "--endpoint",
        "http://127.0.0.1:" + port, "--path-style"), ExitCodes.FAILED);
    assertThat(line).contains("127.0.0.1:" + port, "cannot be reached", "[IO_ERROR]");
  }
}
