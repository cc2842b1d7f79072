package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spool serve} as a real process: it listens, answers health checks, wants a token, stops on SIGTERM. */
class ServeCommandTest {
  private static final String TOKEN = "serve-test-token-0123456789";

  @TempDir Path home;
  @TempDir Path dir;

  @Test
  void servesTheApiUntilStopped() throws Exception {
    Path out = dir.resolve("out.json");
    Path err = dir.resolve("err.log");
    Process p = CliProcess.start(home, Map.of("SPOOL_API_TOKENS", "short-is-not-this-one-0000," + TOKEN), out, err, List.of(),
        "serve", "--port", "0", "--json");
    try {
      JsonNode started = started(out, err, p);
      String url = started.path("url").asText();
      HttpClient client = HttpClient.newHttpClient();

      HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create(url + "/v1/capabilities")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> caps = client.send(HttpRequest.newBuilder(URI.create(url + "/v1/capabilities"))
          .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(caps.statusCode()).isEqualTo(200);
      JsonNode report = Json.MAPPER.readTree(caps.body());
      assertThat(report.path("capabilities").path("ffmpeg_version").asText()).isNotBlank();
      assertThat(report.path("host").path("cpu_cores").asInt()).isPositive();

      // Transcription is a job type of the server too (the CLI adds it to the HTTP module's own).
      HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(url + "/v1/volumes/talks/jfk.wav"))
          .header("Authorization", "Bearer " + TOKEN)
          .PUT(HttpRequest.BodyPublishers.ofFile(io.spool.media.testing.MediaFixtures.media("jfk.wav"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
      HttpResponse<String> submitted = client.send(HttpRequest.newBuilder(URI.create(url + "/v1/jobs"))
          .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"transcribe\", \"input\": \"talks:jfk.wav\","
              + " \"output\": \"talks:subs\", \"options\": {\"engine\": \"pocketsphinx\", \"formats\": [\"srt\", \"json\"]}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
      String job = url + submitted.headers().firstValue("Location").orElseThrow();
      JsonNode done = Eventually.await(Duration.ofSeconds(90), "the transcription to end", () -> {
        try {
          return Json.MAPPER.readTree(client.send(HttpRequest.newBuilder(URI.create(job))
              .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }, j -> !List.of("queued", "running").contains(j.path("state").asText()));
      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
      // Its details are JSON values: the segments a list, not JSON text inside a string.
      JsonNode details = done.path("details");
      assertThat(details.path("segments").isArray()).as(details.toString()).isTrue();
      assertThat(details.path("segments")).hasSize(details.path("segmentCount").asInt());
      assertThat(details.path("segmentCount").isIntegralNumber()).as(details.toString()).isTrue();
      assertThat(details.path("segments").get(0).path("text").asText()).isNotBlank();
      assertThat(details.path("text").asText()).contains("country");
      HttpResponse<String> srt = client.send(HttpRequest.newBuilder(URI.create(url + "/v1/volumes/talks/subs/jfk.srt"))
          .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(srt.statusCode()).isEqualTo(200);
      assertThat(srt.body()).startsWith("1\n00:00:").contains("country");
      HttpResponse<String> model = client.send(HttpRequest.newBuilder(URI.create(url + "/v1/jobs"))
          .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"transcribe\", \"input\": \"talks:jfk.wav\","
              + " \"options\": {\"model\": \"/etc/passwd\"}}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(model.statusCode()).as(model.body()).isEqualTo(400);
      assertThat(model.body()).contains("unknown field 'model'");

      CliProcess.signal(p, "TERM");
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(ExitCodes.OK);
      assertThat(read(err) + read(out)).doesNotContain(TOKEN);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void inputUrlsAreTakenWhereTheConfigFileTurnsThemOn() throws Exception {
    com.sun.net.httpserver.HttpServer origin = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    origin.createContext("/", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    origin.start();
    Files.writeString(home.resolve("config.json"),
        "{\"serve\": {\"allow_addresses\": [\"loopback\"], \"input_urls\": true}}");
    Path out = dir.resolve("out.json");
    Process p = CliProcess.start(home, Map.of("SPOOL_API_TOKENS", TOKEN), out, dir.resolve("err.log"), List.of(),
        "serve", "--port", "0", "--json");
    try {
      JsonNode started = started(out, dir.resolve("err.log"), p);
      String input = "http://127.0.0.1:" + origin.getAddress().getPort() + "/raw/a.mov";
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(started.path("url").asText() + "/v1/jobs")).header("Authorization", "Bearer " + TOKEN)
          .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"transcode\", \"input\": \"" + input
              + "\", \"output\": \"media:web/a.mp4\"}")).build(), HttpResponse.BodyHandlers.ofString());
      // Read from the origin (which has no such file), not refused as a URL the server does not take.
      assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
      assertThat(r.body()).contains(input + " answered 404");
    } finally {
      p.destroyForcibly();
      origin.stop(0);
    }
  }

  @Test
  void refusesAnInputUrlsSettingThatIsNotTrueOrFalse() throws Exception {
    Files.writeString(home.resolve("config.json"), "{\"serve\": {\"input_urls\": \"yes\"}}");
    Path out = dir.resolve("out.json");
    Path err = dir.resolve("err.log");
    Process p = CliProcess.start(home, Map.of("SPOOL_API_TOKENS", TOKEN), out, err, List.of(), "serve", "--port", "0");
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(ExitCodes.USAGE);
      assertThat(read(err)).contains("serve.input_urls").contains("true or false");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void stopsOnSigtermWithAnEventStreamOpenAndTheNextServerClosesTheJobsOfAKilledOne() throws Exception {
    Path clip = io.spool.media.testing.MediaFixtures.sample(dir, "stream-long.mp4", 1280, 720, 20);
    HttpClient client = HttpClient.newHttpClient();
    String body = "{\"type\": \"transcode\", \"input\": \"media:stream-long.mp4\", \"output\": \"media:out/%s.mp4\","
        + " \"options\": {\"preset\": \"archive\"}, \"resources\": {\"cpu\": 1}}";

    // Stopped with SIGTERM while a client follows a running job: it ends its streams and exits.
    Process first = serve("first");
    try {
      String url = url("first", first);
      HttpResponse<String> put = client.send(authed(url + "/v1/volumes/media/stream-long.mp4")
          .PUT(HttpRequest.BodyPublishers.ofFile(clip)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
      String job = submit(client, url, body.formatted("a"));
      CliProcess.awaitFfmpeg("stream-long.mp4", 1);
      var events = client.send(authed(url + "/v1/jobs/" + job + "/events").header("Accept", "*/*").build(),
          HttpResponse.BodyHandlers.ofLines());
      assertThat(events.statusCode()).isEqualTo(200);
      var lines = events.body().iterator();
      assertThat(lines.hasNext()).isTrue();

      CliProcess.signal(first, "TERM");
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the server to exit; stderr: %s", tail(dir.resolve("first.err")))
          .isTrue();
      assertThat(Files.size(dir.resolve("first.err"))).as("its log").isLessThan(1 << 20);
    } finally {
      first.destroyForcibly().waitFor();
    }

    // Killed with SIGKILL while a job runs: the next server on the same home records the job as ended.
    Process second = serve("second");
    String job;
    try {
      job = submit(client, url("second", second), body.formatted("b"));
      CliProcess.awaitFfmpeg("stream-long.mp4", 1);
      second.destroyForcibly().waitFor();
    } finally {
      second.destroyForcibly();
    }
    Process third = serve("third");
    try {
      String url = url("third", third);
      JsonNode after = Json.MAPPER.readTree(client.send(authed(url + "/v1/jobs/" + job).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertThat(after.path("state").asText()).as(after.toString()).isNotIn("queued", "running");
    } finally {
      third.destroyForcibly();
    }
  }

  private Process serve(String name) throws java.io.IOException {
    return CliProcess.start(home, Map.of("SPOOL_API_TOKENS", TOKEN), dir.resolve(name + ".out"), dir.resolve(name + ".err"),
        List.of(), "serve", "--port", "0", "--json");
  }

  private String url(String name, Process p) {
    return started(dir.resolve(name + ".out"), dir.resolve(name + ".err"), p).path("url").asText();
  }

  /** What a started {@code spool serve --json} printed to {@code out}: where it listens. */
  private static JsonNode started(Path out, Path err, Process p) {
    JsonNode started = Eventually.await(Duration.ofSeconds(60), "spool serve to say where it listens", () -> {
      try {
        String text = Files.readString(out);
        return text.contains("}") ? Json.MAPPER.readTree(text) : null;
      } catch (java.io.IOException e) {
        return null;
      }
    }, j -> j != null || !p.isAlive());
    assertThat(started).as("stderr: %s", tail(err)).isNotNull();
    return started;
  }

  private static HttpRequest.Builder authed(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + TOKEN);
  }

  private static String submit(HttpClient client, String url, String body) throws Exception {
    HttpResponse<String> r = client.send(authed(url + "/v1/jobs").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return Json.MAPPER.readTree(r.body()).path("id").asText();
  }

  private static String tail(Path p) {
    try {
      String s = read(p);
      return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  void refusesToServeWithoutTokens() throws Exception {
    Cli.Result r = Cli.run("serve", "--port", "0");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("SPOOL_API_TOKENS");
  }

  private static String read(Path p) throws java.io.IOException {
    return Files.exists(p) ? Files.readString(p) : "";
  }
}
