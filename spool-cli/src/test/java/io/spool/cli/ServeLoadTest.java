package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.FileEntity;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spool serve} in a JVM of 256 MiB under 50 concurrent uploads of a 20 MB file, with room
 * for 4 unfinished jobs: every request ends in a transcoded file or a clean 429 with Retry-After,
 * the server stays up without running out of memory, and every upload it accepted became a job
 * that succeeded.
 */
class ServeLoadTest {
  record Answer(int status, byte[] body, boolean retryAfter, boolean jobId) {}

  private static final String TOKEN = "load-test-token-0123456789";
  private static final int CLIENTS = 50;

  @TempDir Path home;
  @TempDir Path dir;

  @Test
  void fiftyConcurrentUploadsToASmallHeapEndInResultsOrCleanRefusals() throws Exception {
    Path upload = dir.resolve("noise.mp4");
    // Lossless noise: about 20 MB for 2.3 s of 640x360, cheap to turn into 144p.
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
        "nullsrc=size=640x360:rate=25,geq=lum='random(1)*255':cb=128:cr=128", "-t", "2.3", "-c:v", "libx264",
        "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", upload.toString()));
    assertThat(Files.size(upload)).isGreaterThan(18_000_000);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = CliProcess.start(home, Map.of("SPOOL_API_TOKENS", TOKEN), out, err, List.of("-Xmx256m"),
        "serve", "--port", "0", "--max-queued", "4", "--max-upload-size", "64MB", "--json");
    try {
      JsonNode started = Eventually.await(Duration.ofSeconds(60), "spool serve to say where it listens", () -> {
        try {
          String text = Files.readString(out);
          return text.isBlank() ? null : Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
          return null;
        }
      }, j -> j != null || !p.isAlive());
      assertThat(started).as("stderr: %s", Files.readString(err)).isNotNull();
      String url = started.path("url").asText();
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      // 50 uploads at once from a client that sends Expect: 100-continue, as curl does for large
      // bodies, so that a refusal comes before the body is sent. (Java 17's own client waits for
      // ever on a refusal of such a request, a bug fixed in later JDKs.)
      List<Answer> answers = new ArrayList<>();
      PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
          .setMaxConnTotal(CLIENTS).setMaxConnPerRoute(CLIENTS).build();
      try (CloseableHttpClient http = HttpClients.custom().setConnectionManager(pool)
          .setDefaultRequestConfig(RequestConfig.custom().setExpectContinueEnabled(true)
              .setResponseTimeout(Timeout.ofMinutes(3)).build()).build()) {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Answer>> calls = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          calls.add(threads.submit(() -> {
            HttpPost post = new HttpPost(url + "/v1/transcode?preset=preview&height=144");
            post.setHeader("Authorization", "Bearer " + TOKEN);
            post.setEntity(new FileEntity(upload.toFile(), ContentType.create("video/mp4")));
            return http.execute(post, r -> new Answer(r.getCode(), EntityUtils.toByteArray(r.getEntity()),
                r.getFirstHeader("Retry-After") != null, r.getFirstHeader("Spool-Job-Id") != null));
          }));
        }
        for (Future<Answer> call : calls) {
          answers.add(call.get(4, TimeUnit.MINUTES));
        }
        threads.shutdown();
      }
      int ok = 0;
      int refused = 0;
      List<String> others = new ArrayList<>();
      for (Answer a : answers) {
        if (a.status() == 200) {
          ok++;
          assertThat(new String(a.body(), 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("ftyp");
          assertThat(a.jobId()).isTrue();
        } else if (a.status() == 429) {
          refused++;
          assertThat(a.retryAfter()).isTrue();
        } else {
          others.add(a.status() + " " + new String(a.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }

      assertThat(others).as("answers other than 200 and 429").isEmpty();
      assertThat(ok).as("transcoded").isPositive();
      assertThat(refused).as("refused").isPositive();
      assertThat(ok + refused).isEqualTo(CLIENTS);
      HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(p.isAlive()).isTrue();
      JsonNode jobs = Json.MAPPER.readTree(client.send(HttpRequest.newBuilder(URI.create(url + "/v1/jobs?limit=1000"))
          .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());
      List<String> states = new ArrayList<>();
      jobs.path("jobs").forEach(j -> states.add(j.path("state").asText()));
      assertThat(states).as("one succeeded job per transcoded upload, none other").hasSize(ok).containsOnly("succeeded");
      assertThat(Files.readString(err) + Files.readString(out)).doesNotContain("OutOfMemoryError");

      CliProcess.signal(p, "TERM");
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
  }
}
