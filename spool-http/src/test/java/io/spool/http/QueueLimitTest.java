package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --max-queued: jobs past the limit are turned away with 429 until one of those held has ended. */
class QueueLimitTest {
  private static final String LONG_JOB = """
      {"type": "transcode", "input": "media:long.mp4", "output": "media:out/%s.mp4",
       "options": {"preset": "archive"}, "resources": {"cpu": 1}}""";

  @TempDir Path home;

  @Test
  void aFullServerTurnsJobsAwayUntilOneHasEnded() throws Exception {
    try (RunningServer s = RunningServer.in(home, b -> b.maxQueued(1))) {
      s.send(s.request("/v1/volumes/media/long.mp4")
          .PUT(HttpRequest.BodyPublishers.ofFile(MediaFixtures.media("h264_aac_stereo_360p_17s.mp4"))));
      HttpResponse<String> first = s.postJson("/v1/jobs", LONG_JOB.formatted("first"));
      assertThat(first.statusCode()).as(first.body()).isEqualTo(202);

      HttpResponse<String> second = s.postJson("/v1/jobs", LONG_JOB.formatted("second"));
      HttpResponse<String> batch = s.postJson("/v1/batches", """
          {"type": "transcode", "jobs": [{"input": "media:long.mp4", "output": "media:out/b.mp4"}]}""");

      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(RunningServer.json(second).path("error").path("code").asText()).isEqualTo("QUEUE_FULL");
      assertThat(batch.statusCode()).isEqualTo(429);
      assertThat(RunningServer.json(s.get("/v1/jobs")).path("jobs")).hasSize(1);

      s.send(s.request(first.headers().firstValue("Location").orElseThrow()).DELETE());
      HttpResponse<String> later = Eventually.await(Duration.ofSeconds(30), "a place once the first job has ended",
          () -> s.postJson("/v1/jobs", LONG_JOB.formatted("later")), r -> r.statusCode() != 429);
      assertThat(later.statusCode()).as(later.body()).isEqualTo(202);
      s.send(s.request(later.headers().firstValue("Location").orElseThrow()).DELETE());
    }
  }
}
