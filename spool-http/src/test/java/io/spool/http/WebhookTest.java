package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks to a real receiver on a socket: signed, retried, recorded, and only to addresses allowed. */
class WebhookTest {
  private static final String SECRET = "whsec-test-0123456789abcdef";
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir Path home;

  private RunningServer server(UrlPolicy urls) {
    return RunningServer.in(home, b -> b.webhooks(WebhookSettings.of(SECRET, urls).withRetries(5, Duration.ofMillis(200))));
  }

  private static void putInput(RunningServer s) throws Exception {
    HttpResponse<String> put = s.send(s.request("/v1/volumes/media/in.mp4")
        .PUT(HttpRequest.BodyPublishers.ofFile(MediaFixtures.media("h264_aac_mono_1s.mp4"))));
    assertThat(put.statusCode()).isEqualTo(201);
  }

  private static String submit(RunningServer s, String webhook) {
    HttpResponse<String> r = s.postJson("/v1/jobs", """
        {"type": "transcode", "input": "media:in.mp4", "output": "media:out/%s.mp4",
         "options": {"preset": "preview"}, "webhook_url": "%s"}""".formatted(Long.toString(System.nanoTime(), 36), webhook));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return RunningServer.json(r).path("id").asText();
  }

  @Test
  void theOutcomeIsDeliveredSignedAfterTheReceiverFailedTwiceAndEveryAttemptIsRecorded() throws Exception {
    try (Receiver receiver = new Receiver(n -> n <= 2 ? 500 : 204);
        RunningServer s = server(UrlPolicy.allowing(List.of("loopback")))) {
      putInput(s);
      String id = submit(s, receiver.url("/hooks/spool"));

      Eventually.await(LIMIT, "three deliveries", () -> receiver.requests.size() >= 3);
      JsonNode job = Eventually.await(Duration.ofSeconds(10), "the third attempt to be recorded",
          () -> RunningServer.json(s.get("/v1/jobs/" + id)),
          j -> j.path("webhooks").path(0).path("state").asText().equals("delivered"));

      assertThat(receiver.requests).hasSize(3);
      for (Receiver.Request r : receiver.requests) {
        assertThat(r.path()).isEqualTo("/hooks/spool");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(verifies(r.header("Spool-Signature"), r.body())).as(r.header("Spool-Signature")).isTrue();
        assertThat(r.body()).isEqualTo(receiver.requests.get(0).body());
      }
      JsonNode payload = RunningServer.MAPPER.readTree(receiver.requests.get(2).body());
      assertThat(payload.path("job_id").asText()).isEqualTo(id);
      assertThat(payload.path("status").asText()).isEqualTo("succeeded");
      assertThat(payload.path("outputs").get(0).path("size_bytes").asLong()).isPositive();
      assertThat(payload.path("duration_seconds").asDouble()).isPositive();
      assertThat(payload.path("cost").path("total_usd").asDouble()).isPositive();
      JsonNode attempts = job.path("webhooks").get(0).path("attempts");
      assertThat(attempts).hasSize(3);
      assertThat(attempts.get(0).path("status").asInt()).isEqualTo(500);
      assertThat(attempts.get(0).path("error").asText()).contains("500");
      assertThat(attempts.get(1).path("status").asInt()).isEqualTo(500);
      assertThat(attempts.get(2).path("status").asInt()).isEqualTo(204);
      assertThat(attempts.get(2).has("error")).isFalse();
      assertThat(attempts.get(2).path("latency_millis").asLong()).isNotNegative();
    }
  }

  @Test
  void aSignatureDoesNotVerifyWithAnotherSecretOrAnotherBody() throws Exception {
    try (Receiver receiver = new Receiver(n -> 200); RunningServer s = server(UrlPolicy.allowing(List.of("loopback")))) {
      putInput(s);
      submit(s, receiver.url("/"));
      Eventually.await(LIMIT, "a delivery", () -> !receiver.requests.isEmpty());
      Receiver.Request r = receiver.requests.get(0);

      assertThat(verifies(r.header("Spool-Signature"), r.body())).isTrue();
      assertThat(verifies(r.header("Spool-Signature"), r.body().replace("succeeded", "failed"))).isFalse();
      assertThat(verifies(r.header("Spool-Signature").replaceFirst("t=\\d+", "t=1"), r.body())).isFalse();
    }
  }

  @Test
  void innerAddressesAndOtherSchemesAreRefusedUnlessAllowed() throws Exception {
    try (RunningServer s = server(UrlPolicy.PUBLIC_ONLY)) {
      putInput(s);
      for (String url : List.of("http://127.0.0.1:9/hook", "http://localhost/hook", "http://169.254.169.254/latest/meta-data",
          "http://10.1.2.3/hook", "http://192.168.0.10/hook", "http://[::1]/hook", "http://0.0.0.0/hook",
          "ftp://example.com/hook", "file:///etc/passwd", "http://user:pw@example.com/")) {
        HttpResponse<String> r = s.postJson("/v1/jobs", """
            {"type": "transcode", "input": "media:in.mp4", "output": "media:refused.mp4", "webhook_url": "%s"}""".formatted(url));

        assertThat(r.statusCode()).as(url + " -> " + r.body()).isEqualTo(400);
        assertThat(RunningServer.json(r).path("error").path("code").asText()).isEqualTo("BAD_ARGUMENT");
      }
      assertThat(RunningServer.json(s.get("/v1/jobs")).path("jobs")).isEmpty();
    }
  }

  @Test
  void aRedirectToAnAddressNotAllowedIsNotFollowed() throws Exception {
    try (Receiver receiver = new Receiver(n -> 307); RunningServer s = server(UrlPolicy.allowing(List.of("loopback")))) {
      receiver.redirectTo = "http://10.20.30.40/steal";
      putInput(s);
      String id = submit(s, receiver.url("/hook"));

      JsonNode job = Eventually.await(LIMIT, "the delivery to give up", () -> RunningServer.json(s.get("/v1/jobs/" + id)),
          j -> j.path("webhooks").path(0).path("state").asText().equals("failed"));

      JsonNode attempts = job.path("webhooks").get(0).path("attempts");
      assertThat(attempts).hasSize(5);
      assertThat(attempts.get(0).path("error").asText()).contains("10.20.30.40").contains("private");
      assertThat(receiver.requests).hasSize(5);
    }
  }

  @Test
  void aPendingDeliveryIsSentByTheNextServerAfterARestart() throws Exception {
    try (Receiver receiver = new Receiver(n -> 503)) {
      String id;
      try (RunningServer first = RunningServer.in(home, b -> b.webhooks(WebhookSettings.of(SECRET,
          UrlPolicy.allowing(List.of("loopback"))).withRetries(10, Duration.ofSeconds(2))))) {
        putInput(first);
        id = submit(first, receiver.url("/later"));
        Eventually.await(LIMIT, "a first failed delivery, recorded", () -> RunningServer.json(first.get("/v1/jobs/" + id))
            .path("webhooks").path(0).path("attempts").size() >= 1);
      }
      receiver.answer(n -> 200);
      try (RunningServer second = server(UrlPolicy.allowing(List.of("loopback")))) {
        JsonNode job = Eventually.await(LIMIT, "the delivery after the restart", () -> RunningServer.json(second.get("/v1/jobs/" + id)),
            j -> j.path("webhooks").path(0).path("state").asText().equals("delivered"));

        assertThat(job.path("webhooks").get(0).path("attempts").size()).isGreaterThanOrEqualTo(2);
        assertThat(receiver.requests.stream().filter(r -> r.body().contains(id)).count())
            .isEqualTo(job.path("webhooks").get(0).path("attempts").size());
        assertThat(Set.copyOf(receiver.requests.stream().map(Receiver.Request::body).toList())).hasSize(1);
      }
    }
  }

  /** What a receiver does: recompute the HMAC of "t.body" and compare, within a five-minute window. */
  private static boolean verifies(String header, String body) throws Exception {
    String t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv[0].equals("t")) {
        t = kv[1];
      } else if (kv[0].equals("v1")) {
        v1 = kv[1];
      }
    }
    if (t == null || v1 == null || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) > 300) {
      return false;
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
    return java.security.MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
  }
}
