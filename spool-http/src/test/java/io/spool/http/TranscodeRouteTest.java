package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/transcode}: the guide's endpoint, over a real socket, with real ffmpeg. */
class TranscodeRouteTest {
  private static final long LIMIT = 8L << 20;
  private static final Path VIDEO = MediaFixtures.media("h264_aac51_bbb_720p_5s.mp4");

  @TempDir static Path home;
  @TempDir Path dir;
  static RunningServer s;

  @BeforeAll
  static void start() {
    s = RunningServer.in(home, b -> b.maxUploadBytes(LIMIT).maxQueued(1));
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void anUploadedVideoComesBackAsAValidMp4() throws Exception {
    Path result = dir.resolve("result.mp4");

    HttpResponse<Path> r = s.client.send(s.request("/v1/transcode?preset=web&height=360")
        .header("Content-Type", "video/mp4").header("Content-Disposition", "attachment; filename=\"bunny.mp4\"")
        .POST(HttpRequest.BodyPublishers.ofFile(VIDEO)).build(), HttpResponse.BodyHandlers.ofFile(result));

    assertThat(r.statusCode()).as(() -> read(result)).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("video/mp4");
    assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"bunny.web.mp4\"");
    assertThat(r.headers().firstValue("Content-Length")).hasValue(Long.toString(Files.size(result)));
    List<Map<String, String>> streams = MediaFixtures.independentStreams(result);
    assertThat(streams).extracting(m -> m.get("codec_name")).containsExactly("h264", "aac");
    assertThat(streams.get(0).get("height")).isEqualTo("360");
    assertThat(MediaFixtures.independentDuration(result)).isBetween(5.0, 5.6);
    String jobId = r.headers().firstValue("Spool-Job-Id").orElseThrow();
    try (JobStore store = JobStore.at(home)) {
      assertThat(store.requireJob(jobId).state()).isEqualTo(JobState.SUCCEEDED);
    }
    assertScratchEmpty();
  }

  @Test
  void aMultipartFormUploadIsTranscodedToo() throws Exception {
    String boundary = "spool-test-boundary-7d1";
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
        HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
            + " filename=\"clip.mp4\"\r\nContent-Type: video/mp4\r\n\r\n"),
        HttpRequest.BodyPublishers.ofFile(MediaFixtures.media("h264_aac_mono_1s.mp4")),
        HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
    Path result = dir.resolve("result.mp4");

    HttpResponse<Path> r = s.client.send(s.request("/v1/transcode?preset=preview")
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body).build(),
        HttpResponse.BodyHandlers.ofFile(result));

    assertThat(r.statusCode()).as(() -> read(result)).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"clip.preview.mp4\"");
    assertThat(MediaFixtures.independentStreams(result)).extracting(m -> m.get("codec_name")).contains("h264");
    assertScratchEmpty();
  }

  @Test
  void aDamagedUploadIsRefusedAsInvalidInputAndLeavesNothing() {
    HttpResponse<String> r = s.send(s.request("/v1/transcode")
        .POST(ofFile(MediaFixtures.media("damaged_mp4_malformed_free_box.mp4"))));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(RunningServer.json(r).path("error").path("code").asText()).isEqualTo("INVALID_INPUT");
    assertScratchEmpty();
  }

  @Test
  void optionValuesCannotBecomeFfmpegOptions() {
    int jobsBefore = jobCount();
    for (String query : List.of("video_codec=-vf", "preset=-y", "height=360%20-vf%20x", "crf=-1", "audio_bitrate=-map",
        "threads=2", "preset=web&preset=archive")) {
      // A small body: the server answers before reading any, and closes the connection.
      HttpResponse<String> r = s.send(s.request("/v1/transcode?" + query).POST(HttpRequest.BodyPublishers.ofString("x")));

      assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(400);
      assertThat(RunningServer.json(r).path("error").path("code").asText()).isEqualTo("BAD_ARGUMENT");
    }
    assertThat(jobCount()).as("jobs started").isEqualTo(jobsBefore);
  }

  private static int jobCount() {
    try (JobStore store = JobStore.at(home)) {
      return store.jobs(new JobStore.JobQuery(null, null, 1000, null)).jobs().size();
    }
  }

  @Test
  void anUploadThatDeclaresMoreThanTheLimitIsRefusedBeforeItIsSent() throws Exception {
    try (RawHttp raw = new RawHttp(s.server.port(), "POST /v1/transcode HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Bearer "
        + RunningServer.TOKEN + "\nContent-Type: video/mp4\nContent-Length: " + (LIMIT + 1) + "\n")) {
      String answer = raw.answer();

      assertThat(answer).startsWith("HTTP/1.1 413").contains("TOO_LARGE");
      assertThat(raw.bodyBytesSent()).isZero();
    }
    assertScratchEmpty();
  }

  @Test
  void aMultipartUploadPastTheLimitIsRefused() throws Exception {
    byte[] chunk = new byte[256 * 1024];
    long wouldSend = 50 * LIMIT;
    try (RawHttp raw = new RawHttp(s.server.port(), "POST /v1/transcode HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Bearer "
        + RunningServer.TOKEN + "\nContent-Type: multipart/form-data; boundary=xyz\nTransfer-Encoding: chunked\n")) {
      raw.sendChunk("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.mp4\"\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      while (raw.bodyBytesSent() < wouldSend && !raw.answered() && raw.sendChunk(chunk)) {
        // until the server answers or stops reading
      }

      assertThat(raw.answer()).startsWith("HTTP/1.1 413").contains("TOO_LARGE");
      assertThat(raw.bodyBytesSent()).isLessThan(wouldSend / 4);
    }
    assertScratchEmpty();
  }

  @Test
  void aStreamedUploadIsCutOffOnceItPassesTheLimit() throws Exception {
    byte[] chunk = new byte[256 * 1024];
    long wouldSend = 50 * LIMIT;
    try (RawHttp raw = RawHttp.chunkedPost(s.server.port(), "/v1/transcode", RunningServer.TOKEN)) {
      while (raw.bodyBytesSent() < wouldSend && !raw.answered() && raw.sendChunk(chunk)) {
        // until the server answers or stops reading
      }
      String answer = raw.answer();

      assertThat(answer).startsWith("HTTP/1.1 413").contains("TOO_LARGE");
      assertThat(raw.bodyBytesSent()).isLessThan(wouldSend / 4);
    }
    assertScratchEmpty();
  }

  @Test
  void aFullServerTurnsRequestsAwayWithRetryAfter() throws Exception {
    try (RawHttp slow = RawHttp.chunkedPost(s.server.port(), "/v1/transcode", RunningServer.TOKEN)) {
      slow.sendChunk(new byte[1024]); // holds the only place while its upload goes on
      Path scratch = home.resolve("scratch").resolve("http");
      Eventually.await(Duration.ofSeconds(10), "the slow upload to be taken in", () -> {
        try (Stream<Path> files = Files.isDirectory(scratch) ? Files.list(scratch) : Stream.empty()) {
          return files.findAny().isPresent();
        } catch (IOException e) {
          return false;
        }
      });
      HttpResponse<String> r = s.send(s.request("/v1/transcode").POST(HttpRequest.BodyPublishers.ofString("x")));

      assertThat(r.statusCode()).as(r.body()).isEqualTo(429);

      assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(RunningServer.json(r).path("error").path("code").asText()).isEqualTo("QUEUE_FULL");
      assertThat(RunningServer.json(r).path("error").path("retryable").asBoolean()).isTrue();
    }
    Eventually.await(Duration.ofSeconds(10), "the place to be free again once the upload was dropped",
        () -> s.send(s.request("/v1/transcode").POST(HttpRequest.BodyPublishers.ofString("x"))).statusCode() != 429);
    assertScratchEmpty();
  }

  private static HttpRequest.BodyPublisher ofFile(Path p) {
    try {
      return HttpRequest.BodyPublishers.ofFile(p);
    } catch (java.io.FileNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertScratchEmpty() {
    Path scratch = home.resolve("scratch").resolve("http");
    Eventually.await(Duration.ofSeconds(10), "no upload left in " + scratch, () -> {
      if (!Files.isDirectory(scratch)) {
        return true;
      }
      try (Stream<Path> s = Files.list(scratch)) {
        return s.findAny().isEmpty();
      } catch (IOException e) {
        return false;
      }
    });
  }

  private static String read(Path p) {
    try {
      return Files.size(p) < 4096 ? Files.readString(p, StandardCharsets.UTF_8) : "(" + Files.size(p) + " bytes)";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
