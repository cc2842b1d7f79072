package io.spool.http.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.sse.SseClient;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.RunningJob;
import io.spool.engine.SpoolEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/jobs/{id}/events}: server-sent events of one job, read from the job store and the
 * job's heartbeats: {@code state} (the job as {@code GET /v1/jobs/{id}} summarises it) whenever its
 * state changes, {@code progress} ({@code fraction}, {@code speed}, {@code eta_seconds}) while it
 * runs, a comment now and then to keep proxies from closing a quiet stream; the stream ends after
 * the job's last state.
 */
final class EventsRoute {
  private static final long POLL_MILLIS = 250;
  private static final long PROGRESS_MILLIS = 500;
  private static final long KEEPALIVE_MILLIS = 15_000;

  private final SpoolEngine engine;
  private final JobFollower follower;
  private final JobRoutes jobs;

  EventsRoute(SpoolEngine engine, JobFollower follower, JobRoutes jobs) {
    this.engine = engine;
    this.follower = follower;
    this.jobs = jobs;
  }

  void addTo(RoutesConfig routes) {
    // An unknown job is a 404 in JSON, before the stream starts.
    routes.before("/v1/jobs/{id}/events", ctx -> jobs.job(ctx.pathParam("id")));
    routes.sse("/v1/jobs/{id}/events", this::stream);
  }

  private void stream(SseClient client) {
    String id = client.ctx().pathParam("id");
    JobState last = null;
    RunningJob lastProgress = null;
    long nextProgress = 0;
    long nextKeepAlive = System.currentTimeMillis() + KEEPALIVE_MILLIS;
    try {
      while (!client.terminated()) {
        Optional<JobRecord> now = engine.store().job(id);
        if (now.isEmpty()) {
          return;
        }
        JobRecord r = now.get();
        if (r.state() != last) {
          last = r.state();
          client.sendEvent("state", HttpJson.write(JobViews.summary(engine, r)), r.state().name());
          if (r.state().terminal()) {
            return;
          }
        }
        long t = System.currentTimeMillis();
        if (r.state() == JobState.RUNNING && t >= nextProgress) {
          nextProgress = t + PROGRESS_MILLIS;
          Optional<RunningJob> p = follower.progress(r.batchId(), id);
          if (p.isPresent() && !p.get().equals(lastProgress)) {
            lastProgress = p.get();
            client.sendEvent("progress", HttpJson.write(progress(lastProgress)));
          }
        }
        if (t >= nextKeepAlive) {
          nextKeepAlive = t + KEEPALIVE_MILLIS;
          client.sendComment("keep-alive");
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      client.close();
    }
  }

  private static Map<String, Object> progress(RunningJob p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job_id", p.jobId());
    m.put("fraction", p.fraction());
    m.put("speed", p.speed());
    if (p.etaMillis() > 0) {
      m.put("eta_seconds", p.etaMillis() / 1000.0);
    }
    m.put("attempt", p.attempt());
    if (p.worker() != null) {
      m.put("worker", p.worker().id());
    }
    return m;
  }
}
