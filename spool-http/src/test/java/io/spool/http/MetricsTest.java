package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}, read as Prometheus reads it. */
class MetricsTest {
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: -?\\d+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"(,|$)");
  private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|histogram|untyped)");
  private static final List<String> SUFFIXES = List.of("", "_total", "_count", "_sum", "_bucket", "_created", "_max");

  @TempDir static Path home;
  static RunningServer s;

  @BeforeAll
  static void start() {
    s = RunningServer.in(home);
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  record Sample(String name, Map<String, String> labels, double value) {}

  @Test
  void metricsTellJobsByStateTheQueueAndRequestsByStatus() throws Exception {
    HttpResponse<String> put = s.send(s.request("/v1/volumes/media/raw/a.mp4")
        .PUT(HttpRequest.BodyPublishers.ofFile(MediaFixtures.media("h264_aac_mono_1s.mp4"))));
    assertThat(put.statusCode()).isEqualTo(201);
    String id = RunningServer.json(s.postJson("/v1/jobs", """
        {"type": "transcode", "input": "media:raw/a.mp4", "output": "media:out/a.mp4", "options": {"preset": "preview"}}"""))
        .path("id").asText();
    Eventually.await(Duration.ofSeconds(90), "job " + id + " to succeed",
        () -> RunningServer.json(s.get("/v1/jobs/" + id)).path("state").asText().equals("succeeded"));
    assertThat(s.get("/v1/jobs/j-20250101-000000-nope").statusCode()).isEqualTo(404);
    HttpResponse<String> anonymous = s.send(HttpRequest.newBuilder(s.uri("/metrics")).GET());

    HttpResponse<String> r = s.get("/metrics");

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    parse(r.body());
    // A request is counted once its answer is complete, which its client may see a moment before; the
    // server lets go of a job a moment after the store has it succeeded.
    List<Sample> samples = Eventually.await(Duration.ofSeconds(10), "the 401 counted and the job let go",
        () -> parse(s.get("/metrics").body()),
        x -> value(x, "spool_http_requests_total", Map.of("method", "GET", "status", "401")) != null
            && Double.valueOf(0).equals(value(x, "spool_http_unfinished_jobs", Map.of())));
    for (String state : List.of("queued", "running", "succeeded", "failed", "cancelled")) {
      assertThat(value(samples, "spool_jobs", Map.of("state", state))).as(state).isNotNull();
    }
    assertThat(value(samples, "spool_jobs", Map.of("state", "succeeded"))).isEqualTo(1.0);
    assertThat(value(samples, "spool_queue_depth", Map.of())).isEqualTo(0.0);
    assertThat(value(samples, "spool_jobs_running", Map.of())).isEqualTo(0.0);
    assertThat(value(samples, "spool_http_unfinished_jobs", Map.of())).isEqualTo(0.0);
    assertThat(value(samples, "spool_http_requests_total", Map.of("method", "PUT", "status", "201"))).isEqualTo(1.0);
    assertThat(value(samples, "spool_http_requests_total", Map.of("method", "POST", "status", "202"))).isEqualTo(1.0);
    assertThat(value(samples, "spool_http_requests_total", Map.of("method", "GET", "status", "404"))).isEqualTo(1.0);
    assertThat(value(samples, "spool_http_requests_total", Map.of("method", "GET", "status", "401"))).isEqualTo(1.0);
    assertThat(value(samples, "spool_http_requests_total", Map.of("method", "GET", "status", "200"))).isGreaterThanOrEqualTo(1.0);
    Map<String, String> succeeded = Map.of("type", "transcode", "state", "succeeded");
    assertThat(value(samples, "spool_job_duration_seconds_count", succeeded)).isEqualTo(1.0);
    assertThat(value(samples, "spool_job_duration_seconds_sum", succeeded)).isPositive();
    assertThat(samples).anyMatch(x -> x.name().equals("spool_job_duration_seconds_bucket") && x.labels().containsKey("le"));
    assertThat(value(samples, "spool_job_cpu_seconds_total", Map.of("type", "transcode"))).isPositive();
    assertThat(value(samples, "spool_job_cost_usd_total", Map.of("type", "transcode"))).isPositive();
  }

  /** The exposition format's lines: HELP and TYPE comments, then samples of a family whose TYPE came first. */
  private static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("# HELP ")) {
        continue;
      }
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        assertThat(types.put(type.group(1), type.group(2))).as("one TYPE for " + type.group(1)).isNull();
        continue;
      }
      assertThat(line).as("a sample").doesNotStartWith("#");
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("a sample line: " + line).isTrue();
      String name = m.group(1);
      assertThat(SUFFIXES.stream().anyMatch(suffix -> name.endsWith(suffix)
          && types.containsKey(name.substring(0, name.length() - suffix.length())))).as("TYPE before " + name).isTrue();
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null && !m.group(2).isEmpty()) {
        Matcher l = LABEL.matcher(m.group(2));
        int at = 0;
        while (l.find() && l.start() == at) {
          labels.put(l.group(1), l.group(2));
          at = l.end();
        }
        assertThat(at).as("labels of " + line).isEqualTo(m.group(2).length());
      }
      samples.add(new Sample(name, labels, Double.parseDouble(m.group(3))));
    }
    assertThat(Set.copyOf(types.values())).isNotEmpty();
    return samples;
  }

  private static Double value(List<Sample> samples, String name, Map<String, String> labels) {
    return samples.stream().filter(x -> x.name().equals(name) && x.labels().equals(labels)).map(Sample::value).findFirst()
        .orElse(null);
  }
}
