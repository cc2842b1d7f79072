package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submissions that arrive together are written together and answered before their workflows
 * start: each accepted job is recorded once and runs, even when the server stops as soon as the
 * last is answered.
 */
class IntakeTest {
  private static final int JOBS = 24;

  @TempDir Path home;

  @Test
  void aBurstOfSubmissionsIsAcceptedOnceEachAndRunsAfterTheServerStops() throws Exception {
    RunningServer s = RunningServer.in(home);
    try {
      HttpResponse<String> put = s.send(s.request("/v1/volumes/media/raw/a.mp4")
          .PUT(HttpRequest.BodyPublishers.ofFile(MediaFixtures.media("h264_aac_mono_1s.mp4"))));
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        String body = """
            {"type": "audio-extract", "input": "media:raw/a.mp4", "output": "media:out/%d.m4a"}""".formatted(i);
        sent.add(s.client.sendAsync(s.request("/v1/jobs").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      List<String> ids = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        ids.add(RunningServer.json(r).path("id").asText());
      }
      s.server.close(); // at once: workflows still to start are started before it returns

      assertThat(ids).doesNotHaveDuplicates();
      assertThat(s.engine.store().jobs((JobState) null)).hasSize(JOBS);
      for (String id : ids) {
        JobRecord done = Eventually.await(Duration.ofSeconds(90), "job " + id + " to end",
            () -> s.engine.store().requireJob(id), j -> j.state().terminal());
        assertThat(done.state()).as(done.toString()).isEqualTo(JobState.SUCCEEDED);
      }
    } finally {
      s.close();
    }
  }
}
