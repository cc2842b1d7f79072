package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spool serve} on a dev-server, stopped while its jobs wait for a worker and started again:
 * the jobs complete, and each job's webhook is delivered once, by the server that runs then.
 */
class ServeRestartTest {
  private static final String TOKEN = "restart-test-token-0123456789";
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir Path home;
  @TempDir Path logs;

  @Test
  void jobsQueuedWhenTheServerStopsCompleteAfterItStartsAgainAndEachWebhookIsDeliveredOnce() throws Exception {
    Files.writeString(home.resolve("config.json"), "{\"serve\": {\"allow_addresses\": [\"loopback\"]}}");
    List<JsonNode> deliveries = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", ex -> {
      deliveries.add(Json.MAPPER.readTree(ex.getRequestBody().readAllBytes()));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    receiver.start();
    HttpClient client = HttpClient.newHttpClient();
    try (SpoolHost host = new SpoolHost(home, logs)) {
      host.env("SPOOL_API_TOKENS", TOKEN).env("SPOOL_WEBHOOK_SECRET", "whsec-restart-0123456789");
      host.devServer("--no-workers");
      SpoolHost.Proc first = host.spool("serve", "--port", "0", "--json");
      String url = listening(first);
      HttpResponse<String> put = client.send(request(url + "/v1/volumes/media/a.mp4")
          .PUT(HttpRequest.BodyPublishers.ofFile(MediaFixtures.media("h264_aac_mono_1s.mp4"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> r = client.send(request(url + "/v1/jobs").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"transcode\", \"input\": \"media:a.mp4\", \"output\":"
                + " \"media:out/" + i + ".mp4\", \"options\": {\"preset\": \"preview\"}, \"webhook_url\":"
                + " \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        ids.add(Json.MAPPER.readTree(r.body()).path("id").asText());
      }
      assertThat(state(client, url, ids.get(0))).isEqualTo("queued"); // no worker yet

      assertThat(host.terminate(first, Duration.ofSeconds(30))).isZero();
      host.worker();
      String again = listening(host.spool("serve", "--port", "0", "--json"));

      for (String id : ids) {
        Eventually.await(LIMIT, "job " + id + " to succeed", () -> state(client, again, id).equals("succeeded"));
      }
      Eventually.await(LIMIT, "both webhooks", () -> deliveries.size() >= 2);
      Thread.sleep(3000); // a second delivery of either would come by now
      assertThat(deliveries).extracting(d -> d.path("job_id").asText()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(deliveries).allMatch(d -> d.path("status").asText().equals("succeeded"));
    } finally {
      receiver.stop(0);
    }
  }

  private static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN);
  }

  private static String listening(SpoolHost.Proc serve) {
    JsonNode started = Eventually.await(Duration.ofSeconds(60), serve + " to say where it listens", serve::json,
        j -> j != null || !serve.process().isAlive());
    assertThat(started).as("stderr: %s", serve.stderr()).isNotNull();
    return started.path("url").asText();
  }

  private static String state(HttpClient client, String url, String id) {
    try {
      return Json.MAPPER.readTree(client.send(request(url + "/v1/jobs/" + id).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body()).path("state").asText();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
