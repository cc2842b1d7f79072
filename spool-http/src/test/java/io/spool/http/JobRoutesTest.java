package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Asynchronous jobs over a real socket: submit, follow, list, cancel, download, events, idempotency. */
class JobRoutesTest {
  private static final Duration JOB_LIMIT = Duration.ofSeconds(90);

  @TempDir static Path home;
  @TempDir Path dir;
  static RunningServer s;

  @BeforeAll
  static void start() throws Exception {
    s = RunningServer.in(home);
    for (String name : List.of("h264_aac_mono_1s.mp4", "h264_aac_stereo_360p_17s.mp4", "h264_aac51_bbb_720p_5s.mp4")) {
      HttpResponse<String> put = s.send(s.request("/v1/volumes/media/raw/" + name)
          .PUT(HttpRequest.BodyPublishers.ofFile(MediaFixtures.media(name))));
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void anAsyncJobRunsAndItsOutputCanBeDownloadedWholeOrByRange() throws Exception {
    HttpResponse<String> submitted = s.postJson("/v1/jobs", """
        {"type": "transcode", "input": "media:raw/h264_aac51_bbb_720p_5s.mp4", "output": "media:web/bunny.mp4",
         "options": {"preset": "preview", "height": 240}, "resources": {"cpu": 2, "timeout": "2m"}}""");

    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    String location = submitted.headers().firstValue("Location").orElseThrow();
    JsonNode job = RunningServer.json(submitted);
    assertThat(location).isEqualTo("/v1/jobs/" + job.path("id").asText());
    assertThat(job.path("state").asText()).isIn("queued", "running");

    JsonNode done = awaitEnd(location);
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
    assertThat(done.path("attempts")).hasSize(1);
    assertThat(done.path("attempts").get(0).path("worker").path("id").asText()).isNotBlank();
    assertThat(done.path("cost").path("total_usd").asDouble()).isPositive();
    assertThat(done.path("metrics").path("wall_seconds").asDouble()).isPositive();
    JsonNode output = done.path("outputs").get(0);
    assertThat(output.path("name").asText()).isEqualTo("bunny.mp4");
    assertThat(output.path("path").asText()).isEqualTo("media:web/bunny.mp4");

    Path whole = dir.resolve("whole.mp4");
    HttpResponse<Path> got = s.client.send(s.request(output.path("url").asText()).GET().build(),
        HttpResponse.BodyHandlers.ofFile(whole));
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(Files.size(whole)).isEqualTo(output.path("size_bytes").asLong());
    assertThat(MediaFixtures.independentStreams(whole).get(0).get("height")).isEqualTo("240");
    byte[] bytes = Files.readAllBytes(whole);

    HttpResponse<byte[]> first = s.client.send(s.request(output.path("url").asText()).header("Range", "bytes=0-99").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> last = s.client.send(s.request(output.path("url").asText()).header("Range", "bytes=-10").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<String> outside = s.send(s.request(output.path("url").asText()).header("Range", "bytes=" + bytes.length + "-"));

    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-99/" + bytes.length);
    assertThat(first.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 0, 100));
    assertThat(last.statusCode()).isEqualTo(206);
    assertThat(last.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));
    assertThat(outside.statusCode()).isEqualTo(416);
    assertThat(outside.headers().firstValue("Content-Range")).hasValue("bytes */" + bytes.length);
  }

  @Test
  void theEventStreamTellsStatesAndProgressUntilTheJobEnds() throws Exception {
    HttpResponse<String> submitted = s.postJson("/v1/jobs", """
        {"type": "transcode", "input": "media:raw/h264_aac_stereo_360p_17s.mp4", "output": "media:events/out.mp4",
         "options": {"preset": "web"}, "resources": {"cpu": 1}}""");
    String id = RunningServer.json(submitted).path("id").asText();

    HttpResponse<Stream<String>> events = s.client.send(s.request("/v1/jobs/" + id + "/events")
        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
    CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> events.body().toList());
    List<String> all = lines.get(JOB_LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    List<String> states = new ArrayList<>();
    List<Double> fractions = new ArrayList<>();
    String event = null;
    for (String line : all) {
      if (line.startsWith("event:")) {
        event = line.substring(6).strip();
      } else if (line.startsWith("data:") && "state".equals(event)) {
        states.add(RunningServer.MAPPER.readTree(line.substring(5)).path("state").asText());
      } else if (line.startsWith("data:") && "progress".equals(event)) {
        fractions.add(RunningServer.MAPPER.readTree(line.substring(5)).path("fraction").asDouble());
      }
    }
    assertThat(states).last().isEqualTo("succeeded");
    assertThat(states).contains("running");
    assertThat(fractions).as("progress events").isNotEmpty().isSorted();
  }

  @Test
  void openEventStreamsHoldNoThreadOfTheServer() throws Exception {
    HttpResponse<String> submitted = s.postJson("/v1/jobs", """
        {"type": "transcode", "input": "media:raw/h264_aac_stereo_360p_17s.mp4", "output": "media:streams/out.mp4",
         "options": {"preset": "web", "height": 720}, "resources": {"cpu": 1}}""");
    String id = RunningServer.json(submitted).path("id").asText();
    int streams = 40;
    List<java.util.Iterator<String>> open = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      // Half of them as curl -N asks, accepting anything.
      HttpResponse<Stream<String>> events = s.client.send(s.request("/v1/jobs/" + id + "/events")
          .header("Accept", i % 2 == 0 ? "text/event-stream" : "*/*").GET().build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(events.statusCode()).isEqualTo(200);
      assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
      open.add(events.body().iterator());
    }
    for (java.util.Iterator<String> lines : open) {
      assertThat(nextState(lines)).isIn("queued", "running");
    }

    long streaming = Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> !e.getKey().getName().equals("spool-http-events"))
        .filter(e -> Stream.of(e.getValue()).anyMatch(f -> f.getClassName().endsWith(".EventsRoute")))
        .count();
    assertThat(streaming).as("threads of the server inside an event stream").isZero();

    assertThat(s.send(s.request("/v1/jobs/" + id).DELETE()).statusCode()).isEqualTo(202);
    for (java.util.Iterator<String> lines : open) {
      String last = null;
      for (String state = nextState(lines); state != null; state = nextState(lines)) {
        last = state;
      }
      assertThat(last).isEqualTo("cancelled");
    }
  }

  /** The state of the stream's next state event; null where the stream ends first. */
  private static String nextState(java.util.Iterator<String> lines) throws Exception {
    String event = null;
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("event:")) {
        event = line.substring(6).strip();
      } else if (line.startsWith("data:") && "state".equals(event)) {
        return RunningServer.MAPPER.readTree(line.substring(5)).path("state").asText();
      }
    }
    return null;
  }

  @Test
  void aRetriedPostWithTheSameIdempotencyKeyGetsTheSameJob() {
    String body = """
        {"type": "transcode", "input": "media:raw/h264_aac_mono_1s.mp4", "output": "media:idem/once.mp4",
         "options": {"preset": "preview"}}""";
    HttpRequest.Builder post = s.request("/v1/jobs").header("Content-Type", "application/json")
        .header("Idempotency-Key", "order-4711-transcode").POST(HttpRequest.BodyPublishers.ofString(body));
    int before = RunningServer.json(s.get("/v1/jobs?limit=1000")).path("jobs").size();

    HttpResponse<String> first = s.send(post);
    HttpResponse<String> again = s.send(post);
    HttpResponse<String> other = s.send(s.request("/v1/jobs").header("Idempotency-Key", "order-4711-transcode")
        .POST(HttpRequest.BodyPublishers.ofString(body.replace("once.mp4", "twice.mp4"))));

    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(RunningServer.json(again).path("id").asText()).isEqualTo(RunningServer.json(first).path("id").asText());
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(RunningServer.json(other).path("error").path("code").asText()).isEqualTo("KEY_REUSED");
    assertThat(RunningServer.json(s.get("/v1/jobs?limit=1000")).path("jobs")).hasSize(before + 1);
  }

  @Test
  void theJobListIsPagedFromTheStoreNewestFirst() {
    for (int i = 0; i < 3; i++) {
      s.postJson("/v1/jobs", """
          {"type": "transcode", "input": "media:raw/h264_aac_mono_1s.mp4", "output": "media:pages/%d.mp4",
           "options": {"preset": "preview"}}""".formatted(i));
    }
    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = RunningServer.json(s.get("/v1/jobs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
      assertThat(page.path("jobs").size()).isBetween(1, 2);
      page.path("jobs").forEach(j -> {
        assertThat(seen.add(j.path("id").asText())).as("each job once").isTrue();
        order.add(j.path("created_at").asText());
      });
      cursor = page.path("next_cursor").isNull() || page.path("next_cursor").isMissingNode() ? null
          : page.path("next_cursor").asText();
    } while (cursor != null);

    assertThat(seen.size()).isGreaterThanOrEqualTo(3);
    assertThat(order).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    HttpResponse<String> badState = s.get("/v1/jobs?state=sleeping");
    assertThat(badState.statusCode()).isEqualTo(400);
    Eventually.await(JOB_LIMIT, "the listed jobs to succeed", () -> RunningServer.json(s.get("/v1/jobs?state=succeeded&limit=1000"))
        .path("jobs").size() >= 3);
  }

  @Test
  void anUnknownJobIsNotFound() {
    for (String path : List.of("/v1/jobs/j-20250101-000000-nope", "/v1/jobs/j-20250101-000000-nope/events",
        "/v1/jobs/j-20250101-000000-nope/outputs/a.mp4", "/v1/batches/b-20250101-000000-nope")) {
      HttpResponse<String> r = s.get(path);

      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(RunningServer.json(r).path("error").path("code").asText()).isEqualTo("NOT_FOUND");
    }
    HttpResponse<String> cancel = s.send(s.request("/v1/jobs/j-20250101-000000-nope").DELETE());
    assertThat(cancel.statusCode()).isEqualTo(404);
  }

  @Test
  void everyMediaOperationIsAJobTypeWithItsOwnOptions() throws Exception {
    String in = "media:raw/h264_aac_stereo_360p_17s.mp4";
    List<String> bodies = List.of(
        "{\"type\": \"thumbnails\", \"input\": \"" + in + "\", \"output\": \"ops:thumbs\","
            + " \"options\": {\"count\": 3, \"sprite\": true, \"width\": 160}}",
        "{\"type\": \"audio-extract\", \"input\": \"" + in + "\", \"output\": \"ops:speech.wav\","
            + " \"options\": {\"format\": \"wav16k\"}}",
        "{\"type\": \"audio-normalize\", \"input\": \"" + in + "\", \"output\": \"ops:loud.m4a\","
            + " \"options\": {\"target_i\": -20}}",
        "{\"type\": \"frames-overlay\", \"input\": \"" + in + "\", \"output\": \"ops:stamped.mp4\","
            + " \"options\": {\"text\": \"{frame}\", \"position\": \"top-left\"}}",
        "{\"type\": \"frames-extract\", \"input\": \"" + in + "\", \"output\": \"ops:frames\","
            + " \"options\": {\"fps\": \"1/5\", \"format\": \"jpg\"}}",
        "{\"type\": \"hls\", \"input\": \"" + in + "\", \"output\": \"ops:hls\","
            + " \"options\": {\"ladder\": [240, 144], \"segment_seconds\": 4}}",
        "{\"type\": \"quality\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\","
            + " \"options\": {\"reference\": \"media:raw/h264_aac_mono_1s.mp4\"}}");
    List<String> locations = new ArrayList<>();
    for (String body : bodies) {
      HttpResponse<String> r = s.postJson("/v1/jobs", body);
      assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(202);
      locations.add(r.headers().firstValue("Location").orElseThrow());
    }
    java.util.Map<String, JsonNode> details = new java.util.HashMap<>();
    java.util.Map<String, JsonNode> outputs = new java.util.HashMap<>();
    for (String location : locations) {
      JsonNode done = awaitEnd(location);
      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
      details.put(done.path("type").asText(), done.path("details"));
      outputs.put(done.path("type").asText(), done.path("outputs").path(0));
    }
    // A folder output's size is what its files hold, not the folder's own entry.
    long hlsBytes;
    try (Stream<Path> files = Files.walk(s.home.resolve("volumes/ops/hls"))) {
      hlsBytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    assertThat(outputs.get("hls").path("size_bytes").asLong()).isEqualTo(hlsBytes).isGreaterThan(10_000);
    // Details are JSON values: numbers and flags as themselves, other text as text.
    JsonNode loud = details.get("audio-normalize");
    assertThat(loud.path("linear").isBoolean()).as(loud.toString()).isTrue();
    assertThat(loud.path("outputBytes").isIntegralNumber()).as(loud.toString()).isTrue();
    assertThat(loud.path("outputBytes").asLong()).isPositive();
    assertThat(loud.path("codec").isTextual()).as(loud.toString()).isTrue();
    JsonNode quality = details.get("quality");
    assertThat(quality.path("ssimMean").isNumber()).as(quality.toString()).isTrue();
    assertThat(quality.path("ssimMean").asDouble()).isEqualTo(1.0);
    assertThat(quality.path("frames").isIntegralNumber()).as(quality.toString()).isTrue();
    assertThat(quality.path("psnrMean").asText()).as("infinite, which JSON has no number for").isEqualTo("inf");
    assertThat(quality.path("size").asText()).matches("\\d+x\\d+");
    assertThat(details.get("thumbnails").path("count").asInt()).isEqualTo(3);
    assertThat(details.get("thumbnails").path("times").isTextual()).isTrue();
    Set<String> files = new HashSet<>();
    RunningServer.json(s.get("/v1/volumes/ops")).path("files").forEach(f -> files.add(f.path("path").asText()));
    assertThat(files).contains("thumbs/thumbnails.vtt", "speech.wav", "loud.m4a", "stamped.mp4", "hls/master.m3u8",
        "frames/frame-000001.jpg");

    for (String[] c : List.of(
        new String[] {"{\"type\": \"thumbnails\", \"input\": \"" + in + "\", \"output\": \"ops:t2\","
            + " \"options\": {\"cuont\": 3}}", "unknown field 'cuont'"},
        new String[] {"{\"type\": \"frames-overlay\", \"input\": \"" + in + "\", \"output\": \"ops:f.mp4\","
            + " \"options\": {\"filter\": \"movie=/etc/passwd\"}}", "unknown field 'filter'"},
        new String[] {"{\"type\": \"hls\", \"input\": \"" + in + "\"}", "output is needed"},
        new String[] {"{\"type\": \"frames-extract\", \"input\": \"" + in + "\", \"output\": \"ops:f\"}",
            "options.fps is needed"},
        new String[] {"{\"type\": \"audio-extract\", \"input\": \"" + in + "\", \"output\": \"ops:a.wav\","
            + " \"options\": 7}", "options must be an object"})) {
      HttpResponse<String> r = s.postJson("/v1/jobs", c[0]);
      assertThat(r.statusCode()).as(c[0] + " -> " + r.body()).isEqualTo(400);
      assertThat(RunningServer.json(r).path("error").path("message").asText()).contains(c[1]);
    }
  }

  @Test
  void malformedRequestsAreRefusedWithTheirReason() {
    record Case(String body, String says) {}
    for (Case c : List.of(
        new Case("{\"type\": \"transcode\", ", "malformed JSON"),
        new Case("[1, 2]", "the value must be an object"),
        new Case("{\"type\": \"hls\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\", \"output\": \"media:h\","
            + " \"options\": {\"ladder\": \"720\"}}", "options.ladder must be a list"),
        new Case("{\"type\": \"transcode\", \"inptu\": \"media:raw/a.mp4\"}", "unknown field 'inptu'"),
        new Case("{\"type\": \"transcode\", \"input\": \"/etc/passwd\"}", "not a local path"),
        new Case("{\"type\": \"transcode\", \"input\": \"media:../../etc/passwd\"}", "'..'"),
        new Case("{\"type\": \"transcode\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\", \"output\": \"media:.\"}",
            "'.'"),
        new Case("{\"type\": \"transcode\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\", \"output\": \"media:a/./b.mp4\"}",
            "'.'"),
        new Case("{\"type\": \"transcode\", \"input\": \"https://example.com/a.mp4\"}", "takes no input URLs"),
        new Case("{\"type\": \"resize\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\"}", "unknown job type"),
        new Case("{\"type\": \"transcode\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\", \"output\": \"media:\"}",
            "names a volume but no file or folder"),
        new Case("{\"type\": \"transcode\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\", \"output\": \"media:"
            + "n".repeat(300) + ".mp4\"}", "at most 255 bytes"),
        new Case("{\"type\": \"transcode\", \"input\": \"media:" + "x".repeat(5000) + "\"}", "at most 1024"),
        new Case("{\"type\": \"transcode\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\"} {\"type\": \"hls\"}",
            "malformed JSON"),
        new Case("{\"type\": \"transcode\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\", \"type\": \"hls\"}",
            "malformed JSON"),
        new Case("{\"type\": \"transcode\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\", \"options\": {\"crf\": \"-y\"}}",
            "options.crf must be a whole number, got \"-y\""),
        new Case("{\"type\": \"transcode\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\", \"options\": {\"video_codec\": \"-vf\"}}",
            "unsupported video codec"))) {
      HttpResponse<String> r = s.postJson("/v1/jobs", c.body());

      assertThat(r.statusCode()).as(c.body() + " -> " + r.body()).isEqualTo(400);
      JsonNode error = RunningServer.json(r).path("error");
      assertThat(error.path("code").asText()).isEqualTo("BAD_ARGUMENT");
      assertThat(error.path("message").asText()).contains(c.says());
      assertThat(r.body().length()).as("the answer's length").isLessThan(1000);
    }
    HttpResponse<String> missing = s.postJson("/v1/jobs",
        "{\"type\": \"transcode\", \"input\": \"media:raw/not-there.mp4\"}");
    assertThat(missing.statusCode()).isEqualTo(422);
    assertThat(RunningServer.json(missing).path("error").path("code").asText()).isEqualTo("INPUT_NOT_FOUND");
  }

  @Test
  void valuesOfTheWrongKindAreRefusedNamingTheFieldRatherThanCoerced() {
    String in = "\"input\": \"media:raw/h264_aac_mono_1s.mp4\"";
    record Case(String body, String says) {}
    for (Case c : List.of(
        new Case("{\"type\": \"transcode\", " + in + ", \"options\": {\"height\": \"720\"}}",
            "options.height must be a whole number, got \"720\""),
        new Case("{\"type\": \"transcode\", " + in + ", \"options\": {\"height\": 720.5}}",
            "options.height must be a whole number, got 720.5"),
        new Case("{\"type\": \"transcode\", " + in + ", \"options\": {\"upscale\": \"true\"}}",
            "options.upscale must be true or false, got \"true\""),
        new Case("{\"type\": \"transcode\", " + in + ", \"options\": {\"preset\": 5}}",
            "options.preset must be a string, got 5"),
        new Case("{\"type\": \"hls\", " + in + ", \"output\": \"media:h\", \"options\": {\"ladder\": [480, 240.5]}}",
            "options.ladder[1] must be a whole number, got 240.5"),
        new Case("{\"type\": \"audio-normalize\", " + in + ", \"output\": \"media:n.m4a\", \"options\": {\"target_i\": \"-16\"}}",
            "options.target_i must be a number, got \"-16\""),
        new Case("{\"type\": \"transcode\", " + in + ", \"resources\": {\"cpu\": 1.5}}",
            "resources.cpu must be a whole number, got 1.5"),
        new Case("{\"type\": \"transcode\", " + in + ", \"resources\": {\"timeout\": true}}",
            "resources.timeout must be a string, got true"),
        new Case("{\"type\": \"transcode\", " + in + ", \"overwrite\": \"true\"}",
            "overwrite must be true or false, got \"true\""),
        new Case("{\"type\": \"transcode\", \"input\": 7}", "input must be a string, got 7"),
        new Case("{\"type\": \"transcode\", \"jobs\": [{" + in + "}, {" + in + ", \"resources\": {\"retries\": \"3\"}}]}",
            "jobs[1].resources.retries must be a whole number, got \"3\""),
        new Case("{\"type\": \"transcode\", \"jobs\": [{" + in + ", \"options\": {\"crf\": 23.0}}]}",
            "jobs[0].options.crf must be a whole number, got 23.0"),
        new Case("{\"type\": \"transcode\", " + in + ", \"resources\": {\"cpus\": 1}}",
            "unknown field 'cpus' in resources"))) {
      HttpResponse<String> r = s.postJson(c.body().contains("\"jobs\"") ? "/v1/batches" : "/v1/jobs", c.body());

      assertThat(r.statusCode()).as(c.body() + " -> " + r.body()).isEqualTo(400);
      JsonNode error = RunningServer.json(r).path("error");
      assertThat(error.path("code").asText()).isEqualTo("BAD_ARGUMENT");
      assertThat(error.path("message").asText()).isEqualTo(c.says());
    }
    // Two text fields whose plainest form is a number take either.
    for (String body : List.of(
        "{\"type\": \"frames-extract\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\", \"output\": \"media:kinds/a\","
            + " \"options\": {\"fps\": 2, \"width\": 64}, \"resources\": {\"timeout\": 90}}",
        "{\"type\": \"frames-extract\", \"input\": \"media:raw/h264_aac_mono_1s.mp4\", \"output\": \"media:kinds/b\","
            + " \"options\": {\"fps\": \"1/2\", \"width\": 64}, \"resources\": {\"timeout\": \"2m\"}}")) {
      HttpResponse<String> r = s.postJson("/v1/jobs", body);
      assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(202);
      JsonNode done = awaitEnd(r.headers().firstValue("Location").orElseThrow());
      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
    }
  }

  @Test
  void cancellingARunningJobEndsItsFfmpegAndPublishesNothing() {
    HttpResponse<String> submitted = s.postJson("/v1/jobs", """
        {"type": "transcode", "input": "media:raw/h264_aac_stereo_360p_17s.mp4", "output": "media:cancel/never-made.mp4",
         "options": {"preset": "archive"}, "resources": {"cpu": 1}}""");
    String location = submitted.headers().firstValue("Location").orElseThrow();
    List<Long> ffmpeg = Eventually.await(Duration.ofSeconds(30), "the job's ffmpeg", () ->
        MediaFixtures.ffmpegProcessesMentioning("never-made"), pids -> !pids.isEmpty());

    HttpResponse<String> cancel = s.send(s.request(location).DELETE());

    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    assertThat(RunningServer.json(cancel).path("cancel_requested").asBoolean()).isTrue();
    JsonNode done = awaitEnd(location);
    assertThat(done.path("state").asText()).isEqualTo("cancelled");
    assertThat(done.path("error").path("code").asText()).isEqualTo("CANCELLED");
    Eventually.await(Duration.ofSeconds(10), "ffmpeg " + ffmpeg + " to end",
        () -> ffmpeg.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    HttpResponse<String> listing = s.get("/v1/volumes/media?prefix=cancel");
    assertThat(RunningServer.json(listing).path("files")).isEmpty();
    assertThat(s.get(location + "/outputs/never-made.mp4").statusCode()).isEqualTo(404);
    HttpResponse<String> again = s.send(s.request(location).DELETE());
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(RunningServer.json(again).path("cancel_requested").asBoolean()).isFalse();
  }

  @Test
  void aBatchRunsItsJobsAndReportsTheirStates() {
    HttpResponse<String> submitted = s.postJson("/v1/batches", """
        {"type": "transcode", "options": {"preset": "preview", "height": 120}, "concurrency": 2,
         "jobs": [{"input": "media:raw/h264_aac_mono_1s.mp4", "output": "media:batch/a.mp4"},
                  {"input": "media:raw/h264_aac_mono_1s.mp4", "output": "media:batch/b.mp4", "options": {"preset": "web"}}]}""");

    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    String location = submitted.headers().firstValue("Location").orElseThrow();
    JsonNode batch = Eventually.await(JOB_LIMIT, "the batch to end", () -> RunningServer.json(s.get(location)),
        b -> !b.path("state").asText().equals("running"));
    assertThat(batch.path("state").asText()).isEqualTo("succeeded");
    assertThat(batch.path("job_count").asInt()).isEqualTo(2);
    assertThat(batch.path("job_states").path("succeeded").asInt()).isEqualTo(2);
    for (JsonNode id : batch.path("job_ids")) {
      assertThat(RunningServer.json(s.get("/v1/jobs/" + id.asText())).path("state").asText()).isEqualTo("succeeded");
    }
  }

  private static JsonNode awaitEnd(String location) {
    return Eventually.await(JOB_LIMIT, "job " + location + " to end", () -> RunningServer.json(s.get(location)),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.path("state").asText()));
  }
}
