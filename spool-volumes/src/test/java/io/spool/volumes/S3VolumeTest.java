package io.spool.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.ErrorCode;
import io.spool.media.OutputExistsException;
import io.spool.media.SpoolException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3VolumeTest {
  private static S3Server s3;

  @TempDir Path dir;
  private VolumeStore store;
  private Volume media;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Server.start();
    s3.createBucket("media-bucket");
    S3Server.useCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
  }

  @AfterAll
  static void stopServer() throws Exception {
    s3.close();
  }

  @BeforeEach
  void createVolume() {
    store = VolumeStore.at(dir.resolve("volumes"));
    media = store.createS3("media", location("media-bucket", "run-" + System.nanoTime()));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static S3Location location(String bucket, String prefix) {
    return new S3Location(bucket, prefix, s3.endpoint(), true, null);
  }

  private Path file(String name, int bytes) throws Exception {
    byte[] content = new byte[bytes];
    new Random(bytes).nextBytes(content);
    return Files.write(dir.resolve(name), content);
  }

  private String prefix() {
    return ((S3Volume) media).location().prefix();
  }

  @Test
  void putGetListAndRemoveWorkAsOnALocalVolume() throws Exception {
    Path a = file("a.mp4", 1000);
    media.put(a, "in/a.mp4");
    media.put(file("b.mp4", 10), "b.mp4");

    Volume reopened = VolumeStore.at(dir.resolve("volumes")).open("media");
    assertThat(reopened).isInstanceOf(S3Volume.class);
    assertThat(reopened.list("")).extracting(VolumeEntry::path).containsExactly("b.mp4", "in/a.mp4");
    assertThat(reopened.list("in")).extracting(VolumeEntry::path, VolumeEntry::sizeBytes)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("in/a.mp4", 1000L));
    assertThat(reopened.exists("in/a.mp4")).isTrue();
    assertThat(s3.keys("media-bucket")).contains(prefix() + "/in/a.mp4");

    Path got = dir.resolve("got.mp4");
    reopened.get("in/a.mp4", got);
    assertThat(got).hasSameBinaryContentAs(a);

    assertThat(reopened.remove("in/a.mp4")).isTrue();
    assertThat(reopened.remove("in/a.mp4")).isFalse();
    assertThat(reopened.list("")).extracting(VolumeEntry::path).containsExactly("b.mp4");
    assertThat(store.names()).contains("media");
  }

  @Test
  void aLargeFileGoesUpInPartsAndComesBackWhole() throws Exception {
    Path big = file("big.bin", (int) (S3Transfers.MULTIPART_FROM_BYTES + 3 * S3Transfers.PART_BYTES / 2));
    media.put(big, "big.bin");
    assertThat(s3.unfinishedUploads("media-bucket")).isEmpty();

    Path copy = media.readable("big.bin", dir.resolve("scratch"));
    assertThat(copy).startsWith(dir.resolve("scratch")).hasSameBinaryContentAs(big);
  }

  @Test
  void anUploadThatBreaksOffLeavesNoObjectAndNoParts() throws Exception {
    Path big = file("big.bin", (int) (S3Transfers.MULTIPART_FROM_BYTES + S3Transfers.PART_BYTES));
    s3.failPartsFrom(2);
    int abortedBefore = s3.abortedUploads();
    try (Volume.Write w = media.write("out/big.bin", dir.resolve("scratch"))) {
      Files.copy(big, w.file());
      assertThatThrownBy(w::commit).isInstanceOfSatisfying(SpoolException.class,
          e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.IO_ERROR));
    } finally {
      s3.failPartsFrom(Integer.MAX_VALUE);
    }
    assertThat(media.exists("out/big.bin")).isFalse();
    assertThat(s3.keys("media-bucket")).noneMatch(k -> k.startsWith(prefix() + "/"));
    assertThat(s3.unfinishedUploads("media-bucket")).isEmpty();
    assertThat(s3.abortedUploads()).isEqualTo(abortedBefore + 1);
  }

  @Test
  void aFolderIsPublishedWithItsPlaylistsLastAndReplacingItRemovesWhatTheNewOneLacks() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    try (Volume.Write w = media.writeFolder("hls/clip", scratch)) {
      Files.createDirectories(w.file().resolve("360p"));
      Files.writeString(w.file().resolve("master.m3u8"), "#EXTM3U\n360p/index.m3u8\n");
      Files.writeString(w.file().resolve("360p/index.m3u8"), "#EXTM3U\nseg-0.ts\n");
      Files.writeString(w.file().resolve("360p/seg-0.ts"), "a");
      Files.writeString(w.file().resolve("360p/seg-1.ts"), "b");
      assertThat(S3FolderWrite.order(w.file())).extracting(f -> w.file().relativize(f).toString().replace('\\', '/'))
          .containsExactly("360p/seg-0.ts", "360p/seg-1.ts", "360p/index.m3u8", "master.m3u8");
      w.commitNew();
    }
    assertThat(media.list("hls")).extracting(VolumeEntry::path)
        .containsExactly("hls/clip/360p/index.m3u8", "hls/clip/360p/seg-0.ts", "hls/clip/360p/seg-1.ts", "hls/clip/master.m3u8");
    try (Volume.Write again = media.writeFolder("hls/clip", scratch)) {
      Files.writeString(again.file().resolve("master.m3u8"), "#EXTM3U\n");
      assertThatThrownBy(again::commitNew).isInstanceOf(io.spool.media.OutputExistsException.class);
    }
    try (Volume.Write replacing = media.writeFolder("hls/clip", scratch)) {
      Files.writeString(replacing.file().resolve("master.m3u8"), "#EXTM3U\n");
      replacing.commit();
    }
    assertThat(media.list("hls")).extracting(VolumeEntry::path).containsExactly("hls/clip/master.m3u8");
    assertThat(Files.list(scratch.resolve("volume-outputs"))).as("local copies removed").isEmpty();
  }

  @Test
  void aFolderWhoseUploadBreaksOffLeavesNoObjectOfItAndNoParts() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    s3.failPartsFrom(2);
    try (Volume.Write w = media.writeFolder("hls/clip", scratch)) {
      Files.writeString(w.file().resolve("a.ts"), "a");
      Files.copy(file("b.ts", (int) (S3Transfers.MULTIPART_FROM_BYTES + S3Transfers.PART_BYTES)), w.file().resolve("b.ts"));
      Files.writeString(w.file().resolve("master.m3u8"), "#EXTM3U\n");
      assertThatThrownBy(w::commitNew).isInstanceOfSatisfying(SpoolException.class,
          e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.IO_ERROR));
    } finally {
      s3.failPartsFrom(Integer.MAX_VALUE);
    }
    assertThat(s3.keys("media-bucket")).noneMatch(k -> k.startsWith(prefix() + "/"));
    assertThat(s3.unfinishedUploads("media-bucket")).isEmpty();
  }

  @Test
  void ffprobeReadsAFileThroughAPresignedUrlThatExpiresAsAskedAndAMissingFileIsNotSigned() throws Exception {
    Path clip = dir.resolve("clip.mp4");
    Process make = new ProcessBuilder("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
        "testsrc2=size=160x120:rate=10:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip.toString())
        .redirectErrorStream(true).start();
    assertThat(make.waitFor()).as(new String(make.getInputStream().readAllBytes())).isZero();
    media.put(clip, "in/clip.mp4");

    java.net.URI url = ((S3Volume) media).presignedGet("in/clip.mp4", java.time.Duration.ofSeconds(30));

    assertThat(url.getRawQuery()).contains("X-Amz-Expires=30", "X-Amz-Signature=");
    Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
        "default=nw=1:nk=1", url.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String duration = new String(probe.getInputStream().readAllBytes()).strip();
    assertThat(probe.waitFor()).isZero();
    assertThat(Double.parseDouble(duration)).isBetween(0.9, 1.1);
    assertThatThrownBy(() -> ((S3Volume) media).presignedGet("in/none.mp4", java.time.Duration.ofSeconds(30)))
        .isInstanceOf(io.spool.media.InputNotFoundException.class);
  }

  @Test
  void commitAllTakesBackTheNewObjectsPublishedBeforeAnUploadThatBreaksOff() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    s3.failPartsFrom(2);
    try (Volume.Write first = media.write("thumbs/a.jpg", scratch);
        Volume.Write second = media.write("thumbs/b.jpg", scratch)) {
      Files.writeString(first.file(), "a");
      Files.copy(file("b.jpg", (int) (S3Transfers.MULTIPART_FROM_BYTES + S3Transfers.PART_BYTES)), second.file());
      assertThatThrownBy(() -> Volume.commitAll(java.util.List.of(first, second), java.util.List.of(false, false)))
          .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR));
    } finally {
      s3.failPartsFrom(Integer.MAX_VALUE);
    }
    assertThat(s3.keys("media-bucket")).noneMatch(k -> k.startsWith(prefix() + "/"));
    assertThat(s3.unfinishedUploads("media-bucket")).isEmpty();
  }

  @Test
  void aWriteClosedWithoutCommitLeavesNothingInTheBucketOrInScratch() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    try (Volume.Write w = media.write("out/x.mp4", scratch)) {
      Files.writeString(w.file(), "half");
      assertThat(w.file().getFileName().toString()).isEqualTo("x.mp4");
    }
    assertThat(media.list("")).isEmpty();
    try (var files = Files.walk(scratch)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void aNewOutputDoesNotReplaceAnObjectAlreadyThere() throws Exception {
    media.put(file("first.mp4", 10), "out.mp4");
    try (Volume.Write w = media.write("out.mp4", dir.resolve("scratch"))) {
      Files.writeString(w.file(), "second");
      assertThatThrownBy(w::commitNew).isInstanceOf(OutputExistsException.class);
    }
    assertThat(media.list("")).singleElement().extracting(VolumeEntry::sizeBytes).isEqualTo(10L);
  }

  @Test
  void aNameIsEitherLocalOrInS3AndCreatingItAgainKeepsItsLocation() {
    S3Location here = ((S3Volume) media).location();
    assertThat(store.createS3("media", here).location()).isEqualTo(here);
    assertThatThrownBy(() -> store.createS3("media", location("media-bucket", "elsewhere")))
        .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT));
    assertThatThrownBy(() -> store.create("media"))
        .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT));
    store.create("local");
    assertThatThrownBy(() -> store.createS3("local", here))
        .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT));
    assertThatThrownBy(() -> store.openLocal("media")).hasMessageContaining("kept in S3");
    assertThat(store.names()).containsExactly("local", "media");
  }

  @Test
  void aMissingKeyIsAMissingInput() {
    assertThatThrownBy(() -> media.get("nope.mp4", dir.resolve("x.mp4")))
        .isInstanceOfSatisfying(SpoolException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INPUT_NOT_FOUND);
          assertThat(e.getMessage()).contains("volume media", "nope.mp4");
        });
    assertThat(dir.resolve("x.mp4")).doesNotExist();
  }

  @Test
  void aMissingBucketIsRefusedAtCreationAndLaterAsThisHostsSetup() {
    assertThatThrownBy(() -> store.createS3("gone", location("no-such-bucket", "")))
        .isInstanceOfSatisfying(SpoolException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT);
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("bucket no-such-bucket does not exist");
        });
    assertThat(store.exists("gone")).isFalse();

    // A bucket removed after its volume was made: reading from it is this host's setup, not a missing file.
    s3.createBucket("doomed-bucket");
    Volume doomed = store.createS3("doomed", location("doomed-bucket", ""));
    s3.deleteBucket("doomed-bucket");
    assertThatThrownBy(() -> doomed.get("a.mp4", dir.resolve("d.mp4")))
        .isInstanceOfSatisfying(SpoolException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT);
          assertThat(e.getMessage()).contains("bucket doomed-bucket does not exist");
        });
  }

  @Test
  void wrongCredentialsAreDeniedWithoutRetry() throws Exception {
    media.put(file("a.mp4", 10), "a.mp4");
    S3Server.useCredentials(S3Server.ACCESS_KEY, "wrong-secret");
    try (VolumeStore other = VolumeStore.at(dir.resolve("volumes"))) {
      assertThatThrownBy(() -> other.open("media").get("a.mp4", dir.resolve("a.mp4")))
          .isInstanceOfSatisfying(SpoolException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT);
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("denied", "credentials").doesNotContain("\n");
          });
      // A put the server refuses before reading its body (the client sees a broken pipe) too,
      // across the sizes where that happens.
      for (int kib : new int[] {300, 400}) {
        Path body = file("p" + kib + ".mp4", kib * 1024);
        assertThatThrownBy(() -> other.open("media").put(body, "p" + kib + ".mp4"))
            .isInstanceOfSatisfying(SpoolException.class, e -> {
              assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.ENVIRONMENT);
              assertThat(e.retryable()).isFalse();
            });
      }
    } finally {
      S3Server.useCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
    }
  }

  @Test
  void anEndpointThatDoesNotAnswerIsARetryableIoError() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path record = Files.createDirectories(dir.resolve("volumes/.s3")).resolve("down.properties");
    var p = new S3Location("media-bucket", "", URI.create("http://127.0.0.1:" + port), true, null).toProperties();
    try (var w = Files.newBufferedWriter(record)) {
      p.store(w, null);
    }
    assertThatThrownBy(() -> store.open("down").list(""))
        .isInstanceOfSatisfying(SpoolException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("127.0.0.1:" + port, "cannot be reached");
        });
  }
}
