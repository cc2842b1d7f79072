package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable uploads at {@code /v1/uploads} (tus 1.0.0) driven by the tus project's own Java client,
 * through a proxy that cuts the connection part way to stand for a network failure.
 */
class TusUploadTest {
  private static final Path VIDEO = MediaFixtures.media("h264_aac51_bbb_720p_5s.mp4");
  private static final long LIMIT = 8L << 20;

  @TempDir Path home;
  @TempDir Path dir;

  @Test
  void anUploadCutHalfWayResumesToTheSameBytesAndTranscodesAsAJob() throws Exception {
    try (RunningServer s = RunningServer.in(home, b -> b.maxUploadBytes(LIMIT))) {
      TusURLMemoryStore urls = new TusURLMemoryStore();
      long size = Files.size(VIDEO);
      String id;
      // The proxy cuts the first upload's connection half way and lets the rest through.
      try (CuttingProxy proxy = new CuttingProxy(s.server.port(), size / 2)) {
        TusUploader first = client(s, proxy.port(), urls).resumeOrCreateUpload(upload(VIDEO));
        first.setChunkSize(16 * 1024);
        id = idOf(first.getUploadURL());
        assertThatThrownBy(() -> uploadAll(first)).isInstanceOf(IOException.class);
        assertThat(proxy.cut()).as("the proxy cut the connection").isTrue();
        long kept = Eventually.await(Duration.ofSeconds(10), "the cut PATCH's bytes are counted",
            () -> offset(head(s, id)), o -> o > 0);
        assertThat(kept).as("bytes kept of " + size).isBetween(1L, size - 1);

        // A new client finds the upload in the URL store and goes on from the server's offset.
        TusUploader rest = client(s, proxy.port(), urls).resumeUpload(upload(VIDEO));
        assertThat(rest.getOffset()).isEqualTo(kept);
        uploadAll(rest);
        System.out.printf("tus resume: %d bytes, connection cut near byte %d, %d kept by the server%n", size, size / 2, kept);
      }

      assertThat(sha256(uploadData(s, id))).isEqualTo(sha256(VIDEO));
      HttpResponse<String> h = head(s, id);
      assertThat(h.headers().firstValue("Upload-Offset")).hasValue(Long.toString(size));
      assertThat(h.headers().firstValue("Upload-Expires")).as("a finished upload does not expire").isEmpty();

      HttpResponse<String> job = s.postJson("/v1/jobs", "{\"type\": \"transcode\", \"input\": \"upload:" + id + "\","
          + " \"output\": \"media:web/bunny.mp4\", \"options\": {\"preset\": \"web\", \"height\": 240}}");
      assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
      String jobId = RunningServer.json(job).path("id").asText();
      JsonNode done = Eventually.await(Duration.ofMinutes(2), "the job ends",
          () -> RunningServer.json(s.get("/v1/jobs/" + jobId)), j -> j.path("state").asText().matches("succeeded|failed|cancelled"));
      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
      Path out = dir.resolve("out.mp4");
      HttpResponse<Path> got = s.client.send(s.request(done.path("outputs").get(0).path("url").asText()).GET().build(),
          HttpResponse.BodyHandlers.ofFile(out));
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(MediaFixtures.independentStreams(out).get(0).get("height")).isEqualTo("240");
    }
  }

  @Test
  void aJobOnAnUploadShowsItAsTheUploadNeverWhereTheServerKeepsIt() throws Exception {
    try (RunningServer s = RunningServer.in(home, b -> b.maxUploadBytes(LIMIT))) {
      byte[] video = Files.readAllBytes(MediaFixtures.media("h264_aac_mono_1s.mp4"));
      byte[] junk = "not a video at all\n".repeat(200).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String good = create(s, video.length);
      String bad = create(s, junk.length);
      assertThat(patch(s, good, 0, video).statusCode()).isEqualTo(204);
      assertThat(patch(s, bad, 0, junk).statusCode()).isEqualTo(204);

      List<String> answers = new java.util.ArrayList<>();
      java.util.Map<String, String> jobs = new java.util.LinkedHashMap<>();
      for (String id : List.of(good, bad)) {
        HttpResponse<String> job = s.postJson("/v1/jobs", "{\"type\": \"transcode\", \"input\": \"upload:" + id + "\","
            + " \"output\": \"media:up/" + id + ".mp4\", \"options\": {\"preset\": \"preview\", \"height\": 144}}");
        assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
        assertThat(RunningServer.json(job).path("input").asText()).isEqualTo("upload:" + id);
        answers.add(job.body());
        jobs.put(id, RunningServer.json(job).path("id").asText());
      }
      for (var e : jobs.entrySet()) {
        JsonNode done = Eventually.await(Duration.ofMinutes(2), "the job ends", () -> RunningServer.json(s.get("/v1/jobs/"
            + e.getValue())), j -> j.path("state").asText().matches("succeeded|failed|cancelled"));
        assertThat(done.path("input").asText()).isEqualTo("upload:" + e.getKey());
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo(e.getKey().equals(good) ? "succeeded" : "failed");
        answers.add(done.toString());
      }
      HttpResponse<String> list = s.get("/v1/jobs");
      answers.add(list.body());
      List<String> inputs = new java.util.ArrayList<>();
      RunningServer.json(list).path("jobs").forEach(j -> inputs.add(j.path("input").asText()));
      assertThat(inputs).containsExactlyInAnyOrder("upload:" + good, "upload:" + bad);
      for (String answer : answers) {
        assertThat(answer).doesNotContain(s.home.toString()).doesNotContain(s.home.toRealPath().toString())
            .doesNotContain("/uploads/");
      }
    }
  }

  @Test
  void aRestartedServerResumesFromTheOffsetOnDisk() throws Exception {
    TusURLMemoryStore urls = new TusURLMemoryStore();
    long size = Files.size(VIDEO);
    String id;
    long kept;
    try (RunningServer s = RunningServer.in(home, b -> b.maxUploadBytes(LIMIT))) {
      try (CuttingProxy proxy = new CuttingProxy(s.server.port(), size / 3)) {
        TusUploader first = client(s, proxy.port(), urls).resumeOrCreateUpload(upload(VIDEO));
        first.setChunkSize(16 * 1024);
        id = idOf(first.getUploadURL());
        assertThatThrownBy(() -> uploadAll(first)).isInstanceOf(IOException.class);
        assertThat(proxy.cut()).as("the proxy cut the connection").isTrue();
      }
      kept = Eventually.await(Duration.ofSeconds(10), "the cut PATCH's bytes are counted",
          () -> offset(head(s, id)), o -> o > 0);
      assertThat(kept).as("bytes kept of " + size).isBetween(1L, size - 1);
      System.out.printf("tus restart: %d bytes, connection cut near byte %d, %d kept by the server%n", size, size / 3, kept);
    }
    try (RunningServer s = RunningServer.in(home, b -> b.maxUploadBytes(LIMIT))) {
      assertThat(offset(head(s, id))).as("offset after a restart").isEqualTo(kept);
      TusClient again = client(s, s.server.port(), urls);
      TusUploader rest = again.beginOrResumeUploadFromURL(upload(VIDEO), new URL(s.uri("/v1/uploads/" + id).toString()));
      assertThat(rest.getOffset()).isEqualTo(kept);
      uploadAll(rest);
      assertThat(sha256(uploadData(s, id))).isEqualTo(sha256(VIDEO));
    }
  }

  @Test
  void anUnfinishedUploadExpiresAndItsBytesAreRemoved() throws Exception {
    try (RunningServer s = RunningServer.in(home, b -> b.maxUploadBytes(LIMIT).uploadExpiry(Duration.ofSeconds(1)))) {
      String id = create(s, 1000);
      HttpResponse<String> p = patch(s, id, 0, new byte[400]);
      assertThat(p.statusCode()).as(p.body()).isEqualTo(204);
      assertThat(p.headers().firstValue("Upload-Expires")).isPresent();
      assertThat(uploadData(s, id)).hasSize(400);

      Eventually.await(Duration.ofSeconds(20), "the sweeper removes the expired upload",
          () -> !Files.exists(uploadsDir(s).resolve(id)));
      assertThat(head(s, id).statusCode()).isEqualTo(404);
      HttpResponse<String> job = s.postJson("/v1/jobs", "{\"type\": \"transcode\", \"input\": \"upload:" + id + "\","
          + " \"output\": \"media:a.mp4\"}");
      assertThat(job.statusCode()).isEqualTo(404);
      assertThat(RunningServer.json(job).path("error").path("code").asText()).isEqualTo("UPLOAD_NOT_FOUND");
    }
  }

  @Test
  void terminationRemovesTheUpload() {
    try (RunningServer s = RunningServer.in(home, b -> b.maxUploadBytes(LIMIT))) {
      String id = create(s, 1000);
      patch(s, id, 0, new byte[10]);
      HttpResponse<String> d = s.send(tus(s, "/v1/uploads/" + id).DELETE());
      assertThat(d.statusCode()).as(d.body()).isEqualTo(204);
      assertThat(uploadsDir(s).resolve(id)).doesNotExist();
      assertThat(head(s, id).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void theProtocolsRefusalsHaveTheirStatuses() {
    try (RunningServer s = RunningServer.in(home, b -> b.maxUploadBytes(LIMIT))) {
      HttpResponse<String> o = s.send(s.request("/v1/uploads").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
      assertThat(o.statusCode()).isEqualTo(204);
      assertThat(o.headers().firstValue("Tus-Version")).hasValue("1.0.0");
      assertThat(o.headers().firstValue("Tus-Extension")).hasValue("creation,termination,expiration");
      assertThat(o.headers().firstValue("Tus-Max-Size")).hasValue(Long.toString(LIMIT));

      String id = create(s, 100);
      assertThat(patch(s, id, 0, new byte[30]).statusCode()).isEqualTo(204);
      HttpResponse<String> mismatch = patch(s, id, 10, new byte[5]);
      assertThat(mismatch.statusCode()).isEqualTo(409);
      assertThat(code(mismatch)).isEqualTo("OFFSET_MISMATCH");
      assertThat(offset(head(s, id))).isEqualTo(30);
      assertThat(head(s, id).headers().firstValue("Cache-Control")).hasValue("no-store");

      HttpResponse<String> wrongType = s.send(tus(s, "/v1/uploads/" + id).header("Upload-Offset", "30")
          .header("Content-Type", "application/octet-stream").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[5])));
      assertThat(wrongType.statusCode()).isEqualTo(415);

      HttpResponse<String> noVersion = s.send(s.request("/v1/uploads/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody()));
      assertThat(noVersion.statusCode()).isEqualTo(412);
      assertThat(noVersion.headers().firstValue("Tus-Version")).hasValue("1.0.0");

      HttpResponse<String> tooLong = patch(s, id, 30, new byte[71]);
      assertThat(tooLong.statusCode()).isEqualTo(413);
      assertThat(offset(head(s, id))).as("a refused chunk adds nothing").isEqualTo(30);

      HttpResponse<String> tooLarge = s.send(tus(s, "/v1/uploads").header("Upload-Length", Long.toString(LIMIT + 1))
          .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(tooLarge.statusCode()).isEqualTo(413);
      assertThat(code(tooLarge)).isEqualTo("TOO_LARGE");

      HttpResponse<String> unfinished = s.postJson("/v1/jobs", "{\"type\": \"transcode\", \"input\": \"upload:" + id + "\","
          + " \"output\": \"media:a.mp4\"}");
      assertThat(unfinished.statusCode()).isEqualTo(400);
      assertThat(code(unfinished)).isEqualTo("UPLOAD_UNFINISHED");

      HttpResponse<String> anonymous = s.send(java.net.http.HttpRequest.newBuilder(s.uri("/v1/uploads"))
          .header("Tus-Resumable", "1.0.0").header("Upload-Length", "10").POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(head(s, "0123456789abcdef0123456789abcdef").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void uploadIdsAreUnguessable() {
    try (RunningServer s = RunningServer.in(home, b -> b.maxUploadBytes(LIMIT))) {
      String a = create(s, 10);
      String b = create(s, 10);
      assertThat(a).matches("[0-9a-f]{32}").isNotEqualTo(b);
    }
  }

  private static TusClient client(RunningServer s, int port, TusURLMemoryStore urls) throws IOException {
    TusClient c = new TusClient();
    c.setUploadCreationURL(new URL("http://127.0.0.1:" + port + "/v1/uploads"));
    c.enableResuming(urls);
    c.setHeaders(Map.of("Authorization", "Bearer " + RunningServer.TOKEN));
    return c;
  }

  private static TusUpload upload(Path file) throws IOException {
    TusUpload u = new TusUpload(file.toFile());
    u.setMetadata(Map.of("filename", file.getFileName().toString()));
    return u;
  }

  private static void uploadAll(TusUploader uploader) throws Exception {
    while (uploader.uploadChunk() > -1) {
      // each call sends one chunk
    }
    uploader.finish();
  }

  private static String idOf(URL url) {
    String p = url.getPath();
    return p.substring(p.lastIndexOf('/') + 1);
  }

  private static HttpRequest.Builder tus(RunningServer s, String path) {
    return s.request(path).header("Tus-Resumable", "1.0.0");
  }

  private static String create(RunningServer s, long length) {
    HttpResponse<String> r = s.send(tus(s, "/v1/uploads").header("Upload-Length", Long.toString(length))
        .header("Upload-Metadata", "filename YS5tcDQ=").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String location = r.headers().firstValue("Location").orElseThrow();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  private static HttpResponse<String> patch(RunningServer s, String id, long offset, byte[] bytes) {
    return s.send(tus(s, "/v1/uploads/" + id).header("Upload-Offset", Long.toString(offset))
        .header("Content-Type", "application/offset+octet-stream").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  private static HttpResponse<String> head(RunningServer s, String id) {
    return s.send(tus(s, "/v1/uploads/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody()));
  }

  private static long offset(HttpResponse<String> head) {
    assertThat(head.statusCode()).isEqualTo(200);
    return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
  }

  private static String code(HttpResponse<String> r) {
    return RunningServer.json(r).path("error").path("code").asText();
  }

  private static Path uploadsDir(RunningServer s) {
    return s.home.resolve("scratch").resolve("http").resolve("uploads");
  }

  private static byte[] uploadData(RunningServer s, String id) throws IOException {
    return Files.readAllBytes(uploadsDir(s).resolve(id).resolve("data"));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String sha256(Path file) throws Exception {
    return sha256(Files.readAllBytes(file));
  }

  /**
   * A TCP proxy to the server that closes both ends of the connection carrying the client's
   * {@code after}-th byte, once; later connections pass untouched.
   */
  static final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final int target;
    private final long after;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean cut = new AtomicBoolean();

    CuttingProxy(int target, long after) throws IOException {
      this.target = target;
      this.after = after;
      Thread t = new Thread(this::accept, "cutting-proxy");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    boolean cut() {
      return cut.get();
    }

    private void accept() {
      try {
        while (true) {
          Socket client = listener.accept();
          Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
          pump(client, server, true);
          pump(server, client, false);
        }
      } catch (IOException e) {
        // closed
      }
    }

    private void pump(Socket from, Socket to, boolean upstream) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          int r;
          while ((r = in.read(buf)) >= 0) {
            if (upstream && !cut.get() && sent.addAndGet(r) >= after && cut.compareAndSet(false, true)) {
              out.write(Arrays.copyOf(buf, r));
              out.flush();
              from.close();
              to.close();
              return;
            }
            out.write(buf, 0, r);
            out.flush();
          }
        } catch (IOException e) {
          // one side closed
        } finally {
          closeQuietly(from);
          closeQuietly(to);
        }
      }, "cutting-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    private static void closeQuietly(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }
}
