package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job inputs named by http URLs, read from a real origin on a socket, only where the server allows them. */
class InputUrlTest {
  private static final Duration JOB_LIMIT = Duration.ofSeconds(90);
  private static final String CLIP = "h264_aac_mono_1s.mp4";
  /** Past the test clip, far short of what the endless origin would send. */
  private static final long MAX_UPLOAD = 1L << 20;
  private static final long ENDLESS = 256L << 20;

  @TempDir Path home;
  @TempDir Path dir;
  private HttpServer origin;
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final AtomicLong endlessSent = new AtomicLong();
  private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

  @BeforeEach
  void startOrigin() throws IOException {
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    origin.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      asked.add(path);
      try (exchange) {
        switch (path) {
          case "/clips/a.mp4" -> {
            byte[] bytes = Files.readAllBytes(MediaFixtures.media(CLIP));
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
          }
          case "/to-metadata" -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
          }
          case "/endless.mp4" -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse it by
            byte[] chunk = new byte[64 * 1024];
            OutputStream out = exchange.getResponseBody();
            try {
              while (endlessSent.get() < ENDLESS) {
                out.write(chunk);
                endlessSent.addAndGet(chunk.length);
              }
            } catch (IOException e) {
              // the server stopped reading
            }
          }
          case "/stalls.mp4" -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(new byte[1024]);
            exchange.getResponseBody().flush();
            try {
              released.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          default -> exchange.sendResponseHeaders(404, -1);
        }
      }
    });
    origin.start();
  }

  @AfterEach
  void stopOrigin() {
    released.countDown();
    origin.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + origin.getAddress().getPort() + path;
  }

  private RunningServer server(UrlPolicy inputUrls) {
    return server(inputUrls, Duration.ofSeconds(30));
  }

  private RunningServer server(UrlPolicy inputUrls, Duration timeout) {
    return RunningServer.in(home, b -> {
      b.maxUploadBytes(MAX_UPLOAD);
      return inputUrls == null ? b : b.inputUrls(inputUrls, timeout);
    });
  }

  private static HttpResponse<String> submit(RunningServer s, String input) {
    return s.postJson("/v1/jobs", """
        {"type": "transcode", "input": "%s", "output": "media:web/a.mp4", "options": {"preset": "preview"}}"""
        .formatted(input));
  }

  /** Every file left in the server's upload store. */
  private static List<Path> uploadFiles(RunningServer s) throws IOException {
    Path root = s.engine.config().scratchDir().resolve("http").resolve("uploads");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static String message(HttpResponse<String> r) {
    return RunningServer.json(r).path("error").path("message").asText();
  }

  @Test
  void aTranscodeFromALoopbackUrlSucceedsShowsTheUrlAndLeavesNoBytesBehind() throws Exception {
    try (RunningServer s = server(UrlPolicy.allowing(List.of("loopback")))) {
      HttpResponse<String> r = submit(s, url("/clips/a.mp4?token=s3cret"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      String location = r.headers().firstValue("Location").orElseThrow();

      JsonNode done = Eventually.await(JOB_LIMIT, "the job to end", () -> RunningServer.json(s.get(location)),
          j -> Set.of("succeeded", "failed", "cancelled").contains(j.path("state").asText()));
      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
      assertThat(done.path("input").asText()).isEqualTo(url("/clips/a.mp4"));
      assertThat(s.get("/v1/jobs").body()).doesNotContain("s3cret").doesNotContain(home.toString());

      Path out = dir.resolve("a.mp4");
      HttpResponse<Path> got = s.client.send(s.request(done.path("outputs").get(0).path("url").asText()).GET().build(),
          HttpResponse.BodyHandlers.ofFile(out));
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(MediaFixtures.independentStreams(out)).extracting(m -> m.get("codec_type")).contains("video", "audio");

      Eventually.await(Duration.ofSeconds(10), "the downloaded input to be removed", () -> {
        try {
          return uploadFiles(s).stream().noneMatch(p -> p.getFileName().toString().equals("data"));
        } catch (IOException e) {
          return false;
        }
      });
      assertThat(RunningServer.json(s.get(location)).path("input").asText()).isEqualTo(url("/clips/a.mp4"));
    }
  }

  @Test
  void withInputUrlsOffAUrlIsRefusedSayingHowToAllowIt() {
    try (RunningServer s = server(null)) {
      HttpResponse<String> r = submit(s, url("/clips/a.mp4"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(message(r)).contains("input_urls").contains("config.json");
      assertThat(asked).isEmpty();
    }
  }

  @Test
  void aLoopbackUrlIsRefusedWhereLoopbackIsNotAllowed() {
    try (RunningServer s = server(UrlPolicy.PUBLIC_ONLY)) {
      HttpResponse<String> r = submit(s, url("/clips/a.mp4"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(message(r)).contains("loopback").contains("serve.allow_addresses");
      assertThat(asked).isEmpty();

      HttpResponse<String> ftp = submit(s, "ftp://example.com/a.mp4");
      assertThat(ftp.statusCode()).as(ftp.body()).isEqualTo(400);
      assertThat(message(ftp)).contains("only http and https");
    }
  }

  @Test
  void aRedirectToARefusedAddressIsNotFollowed() throws Exception {
    try (RunningServer s = server(UrlPolicy.allowing(List.of("loopback")))) {
      HttpResponse<String> r = submit(s, url("/to-metadata"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(message(r)).contains("169.254.169.254").contains("link-local");
      assertThat(asked).containsExactly("/to-metadata");
      assertThat(RunningServer.json(s.get("/v1/jobs")).path("jobs")).isEmpty();
      assertThat(uploadFiles(s)).isEmpty();
    }
  }

  @Test
  void anInputTheOriginDoesNotHaveIsRefusedClearlyAndNothingRunsOrStaysAlsoInABatch() throws Exception {
    try (RunningServer s = server(UrlPolicy.allowing(List.of("loopback")))) {
      HttpResponse<String> r = submit(s, url("/clips/gone.mp4"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
      assertThat(RunningServer.json(r).path("error").path("code").asText()).isEqualTo("INPUT_NOT_FOUND");
      assertThat(message(r)).isEqualTo("input: " + url("/clips/gone.mp4") + " answered 404");
      HttpResponse<String> batch = s.postJson("/v1/batches", """
          {"type": "transcode", "jobs": [{"input": "%s", "output": "media:web/a.mp4"},
           {"input": "%s", "output": "media:web/b.mp4"}]}""".formatted(url("/clips/a.mp4"), url("/clips/gone.mp4")));
      assertThat(batch.statusCode()).as(batch.body()).isEqualTo(422);
      assertThat(message(batch)).isEqualTo("jobs[1].input: " + url("/clips/gone.mp4") + " answered 404");
      assertThat(asked).containsExactly("/clips/gone.mp4", "/clips/a.mp4", "/clips/gone.mp4");
      assertThat(RunningServer.json(s.get("/v1/jobs")).path("jobs")).isEmpty();
      assertThat(uploadFiles(s)).isEmpty();
    }
  }

  @Test
  void anInputPastTheUploadLimitIsRefusedWithoutReadingItAll() throws Exception {
    try (RunningServer s = server(UrlPolicy.allowing(List.of("loopback")))) {
      HttpResponse<String> r = submit(s, url("/endless.mp4"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
      assertThat(message(r)).contains("upload limit of " + MAX_UPLOAD + " bytes");
      assertThat(RunningServer.json(s.get("/v1/jobs")).path("jobs")).isEmpty();
      assertThat(uploadFiles(s)).isEmpty();
      Eventually.await(Duration.ofSeconds(10), "the origin to stop sending", () -> {
        long before = endlessSent.get();
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return endlessSent.get() == before;
      });
      assertThat(endlessSent.get()).isLessThan(ENDLESS);
    }
  }

  @Test
  void anInputThatStopsComingIsRefusedOnceTheTimeoutPasses() throws Exception {
    try (RunningServer s = server(UrlPolicy.allowing(List.of("loopback")), Duration.ofSeconds(2))) {
      HttpResponse<String> r = submit(s, url("/stalls.mp4"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(504);
      assertThat(RunningServer.json(r).path("error").path("code").asText()).isEqualTo("TIMEOUT");
      assertThat(message(r)).isEqualTo("input: " + url("/stalls.mp4") + " was not read within 2 s");
      assertThat(RunningServer.json(s.get("/v1/jobs")).path("jobs")).isEmpty();
      assertThat(uploadFiles(s)).isEmpty();
    }
  }
}
