package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import io.spool.volumes.S3Location;
import io.spool.volumes.S3Server;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /v1/volumes} over a volume kept in S3 (a real S3 server): the same routes as a local volume's. */
class S3VolumeRoutesTest {
  private static final String BUCKET = "media-bucket";
  private static final String JOBS_BUCKET = "jobs-bucket";

  @TempDir static Path home;
  @TempDir Path dir;
  static S3Server s3;
  static RunningServer s;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Server.start();
    s3.createBucket(BUCKET);
    S3Server.useCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
    s = RunningServer.in(home);
    s.engine.volumes().createS3("media", new S3Location(BUCKET, "served", s3.endpoint(), true, null));
    s3.createBucket(JOBS_BUCKET);
    s.engine.volumes().createS3("work", new S3Location(JOBS_BUCKET, "", s3.endpoint(), true, null));
  }

  @AfterAll
  static void stop() {
    if (s != null) {
      s.close();
    }
    s3.close();
  }

  @Test
  void aFileIsPutReadByRangeListedAndRemovedInTheBucket() throws Exception {
    // Past the size from which it goes up in parts.
    byte[] bytes = new byte[20 << 20];
    new Random(7).nextBytes(bytes);
    Path file = dir.resolve("big.bin");
    Files.write(file, bytes);

    HttpResponse<String> put = s.send(s.request("/v1/volumes/media/raw/big.bin").PUT(HttpRequest.BodyPublishers.ofFile(file)));

    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(RunningServer.json(put).path("size_bytes").asLong()).isEqualTo(bytes.length);
    assertThat(s3.keys(BUCKET)).containsExactly("served/raw/big.bin");
    assertThat(s3.content(BUCKET, "served/raw/big.bin")).isEqualTo(bytes);
    assertThat(s3.unfinishedUploads(BUCKET)).isEmpty();
    assertThat(leftInScratch()).as("the received copy is removed once uploaded").isEmpty();

    HttpResponse<byte[]> whole = s.client.send(s.request("/v1/volumes/media/raw/big.bin").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(whole.body()).isEqualTo(bytes);
    HttpResponse<byte[]> middle = s.client.send(s.request("/v1/volumes/media/raw/big.bin")
        .header("Range", "bytes=1000-1999").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + bytes.length);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));
    HttpResponse<byte[]> tail = s.client.send(s.request("/v1/volumes/media/raw/big.bin")
        .header("Range", "bytes=-10").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));
    HttpResponse<String> outside = s.send(s.request("/v1/volumes/media/raw/big.bin").header("Range", "bytes=" + bytes.length + "-"));
    assertThat(outside.statusCode()).isEqualTo(416);
    assertThat(outside.headers().firstValue("Content-Range")).hasValue("bytes */" + bytes.length);

    assertThat(RunningServer.json(s.get("/v1/volumes")).path("volumes").toString()).contains("\"media\"");
    JsonNode listing = RunningServer.json(s.get("/v1/volumes/media?prefix=raw"));
    assertThat(listing.path("files")).hasSize(1);
    assertThat(listing.path("files").get(0).path("path").asText()).isEqualTo("raw/big.bin");
    assertThat(listing.path("files").get(0).path("size_bytes").asLong()).isEqualTo(bytes.length);
    assertThat(RunningServer.json(s.get("/v1/volumes/media?prefix=other")).path("files")).isEmpty();

    HttpResponse<String> small = s.send(s.request("/v1/volumes/media/raw/big.bin").PUT(HttpRequest.BodyPublishers.ofString("replaced")));
    assertThat(small.statusCode()).as(small.body()).isEqualTo(201);
    assertThat(s.get("/v1/volumes/media/raw/big.bin").body()).isEqualTo("replaced");

    assertThat(s.send(s.request("/v1/volumes/media/raw/big.bin").DELETE()).statusCode()).isEqualTo(204);
    assertThat(s3.keys(BUCKET)).isEmpty();
    assertThat(s.get("/v1/volumes/media/raw/big.bin").statusCode()).isEqualTo(404);
    assertThat(s.send(s.request("/v1/volumes/media/raw/big.bin").DELETE()).statusCode()).isEqualTo(404);
  }

  @Test
  void aPutCutOffPublishesNothing() throws Exception {
    byte[] chunk = new byte[1 << 20];
    try (RawHttp raw = new RawHttp(s.server.port(), "PUT /v1/volumes/media/cut/never.bin HTTP/1.1\nHost: 127.0.0.1\n"
        + "Authorization: Bearer " + RunningServer.TOKEN + "\nTransfer-Encoding: chunked\n")) {
      for (int i = 0; i < 3; i++) {
        assertThat(raw.sendChunk(chunk)).isTrue();
      }
      Eventually.await(Duration.ofSeconds(10), "the server to receive the first bytes", () -> leftInScratch().size(), n -> n > 0);
    } // closed without the last chunk

    Eventually.await(Duration.ofSeconds(10), "the received part to be removed", () -> leftInScratch().isEmpty());
    assertThat(s3.keys(BUCKET)).noneMatch(k -> k.contains("never.bin"));
    assertThat(s3.unfinishedUploads(BUCKET)).isEmpty();
    assertThat(s.get("/v1/volumes/media/cut/never.bin").statusCode()).isEqualTo(404);
  }

  @Test
  void aJobsOutputInS3IsDownloadedWholeOrByRange() throws Exception {
    HttpResponse<String> put = s.send(s.request("/v1/volumes/work/in/clip.mp4")
        .PUT(HttpRequest.BodyPublishers.ofFile(MediaFixtures.media("h264_aac_mono_1s.mp4"))));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    HttpResponse<String> submitted = s.postJson("/v1/jobs", """
        {"type": "transcode", "input": "work:in/clip.mp4", "output": "work:out/clip.mp4",
         "options": {"preset": "preview", "height": 144}}""");
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    String location = submitted.headers().firstValue("Location").orElseThrow();
    JsonNode done = Eventually.await(Duration.ofMinutes(2), "the job ends", () -> RunningServer.json(s.get(location)),
        j -> j.path("state").asText().matches("succeeded|failed|cancelled"));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
    byte[] stored = s3.content(JOBS_BUCKET, "out/clip.mp4");

    String url = done.path("outputs").get(0).path("url").asText();
    HttpResponse<byte[]> whole = s.client.send(s.request(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"clip.mp4\"");
    assertThat(whole.body()).isEqualTo(stored);
    HttpResponse<byte[]> head = s.client.send(s.request(url).header("Range", "bytes=0-99").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(head.statusCode()).isEqualTo(206);
    assertThat(head.body()).isEqualTo(Arrays.copyOfRange(stored, 0, 100));
  }

  /** The files of PUTs being received into the server's scratch folder. */
  private static java.util.List<Path> leftInScratch() {
    Path scratch = home.resolve("scratch").resolve("http");
    if (!Files.exists(scratch)) {
      return java.util.List.of();
    }
    try (Stream<Path> walk = Files.walk(scratch)) {
      return walk.filter(Files::isRegularFile).filter(p -> p.toString().contains("volume-outputs")).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
