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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/jobs/{id}/events}: server-sent events of one job, read from the job store and the
 * job's heartbeats: {@code state} (the job as {@code GET /v1/jobs/{id}} summarises it) whenever its
 * state changes, {@code progress} ({@code fraction}, {@code speed}, {@code eta_seconds}) while it
 * runs, a comment now and then to keep proxies from closing a quiet stream; the stream ends after
 * the job's last state. An open stream holds no thread: one thread looks at every open stream's
 * job in turn a few times a second and writes what changed.
 */
final class EventsRoute implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventsRoute.class);
  private static final long POLL_MILLIS = 250;
  private static final long PROGRESS_MILLIS = 500;
  private static final long KEEPALIVE_MILLIS = 15_000;

  private final SpoolEngine engine;
  private final JobFollower follower;
  private final JobRoutes jobs;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticker;

  /** One open stream: its client, and what it has been told. Touched by the ticker's thread only. */
  private static final class Stream {
    final SseClient client;
    final String jobId;
    JobState last;
    RunningJob lastProgress;
    long nextProgress;
    long nextKeepAlive = System.currentTimeMillis() + KEEPALIVE_MILLIS;

    Stream(SseClient client) {
      this.client = client;
      this.jobId = client.ctx().pathParam("id");
    }
  }

  EventsRoute(SpoolEngine engine, JobFollower follower, JobRoutes jobs) {
    this.engine = engine;
    this.follower = follower;
    this.jobs = jobs;
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spool-http-events");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleWithFixedDelay(this::tick, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  void addTo(RoutesConfig routes) {
    // Javalin's own SSE route answers an empty 200 to a request without "Accept: text/event-stream"
    // (curl -N sends */*): this one streams whatever the request accepts, with the same headers.
    routes.get("/v1/jobs/{id}/events", ctx -> {
      jobs.job(ctx.pathParam("id")); // an unknown job is a 404 in JSON, before the stream starts
      var res = ctx.res();
      res.setStatus(200);
      res.setCharacterEncoding("UTF-8");
      res.setContentType("text/event-stream");
      res.addHeader("Connection", "close");
      res.addHeader("Cache-Control", "no-cache");
      res.addHeader("X-Accel-Buffering", "no");
      res.flushBuffer();
      open(new SseClient(ctx));
    });
  }

  /** Keeps the stream open after the handler returns, and tells it the job's state at once. */
  private void open(SseClient client) {
    client.keepAlive();
    Stream s = new Stream(client);
    client.onClose(() -> streams.remove(s));
    ticker.execute(() -> {
      streams.add(s);
      look(s);
    });
  }

  private void tick() {
    for (Stream s : streams) {
      look(s);
    }
  }

  /** Tells the stream what changed since it was last told; ends it after the job's last state. */
  private void look(Stream s) {
    try {
      if (s.client.terminated()) {
        streams.remove(s);
        return;
      }
      Optional<JobRecord> now = engine.store().job(s.jobId);
      if (now.isEmpty()) {
        end(s);
        return;
      }
      JobRecord r = now.get();
      if (r.state() != s.last) {
        s.client.sendEvent("state", HttpJson.write(JobViews.summary(engine, r)), r.state().name());
        s.last = r.state(); // only once told: a state that could not be told is told at the next tick
        if (r.state().terminal()) {
          end(s);
          return;
        }
      }
      long t = System.currentTimeMillis();
      if (r.state() == JobState.RUNNING && t >= s.nextProgress) {
        s.nextProgress = t + PROGRESS_MILLIS;
        Optional<RunningJob> p = follower.progress(r.batchId(), s.jobId);
        if (p.isPresent() && !p.get().equals(s.lastProgress)) {
          s.lastProgress = p.get();
          s.client.sendEvent("progress", HttpJson.write(progress(s.lastProgress)));
        }
      }
      if (t >= s.nextKeepAlive) {
        s.nextKeepAlive = t + KEEPALIVE_MILLIS;
        s.client.sendComment("keep-alive");
      }
    } catch (RuntimeException e) {
      // The store unreadable for a moment: the stream is looked at again at the next tick.
      LOG.debug("events of job {} not read this time", s.jobId, e);
    }
  }

  private void end(Stream s) {
    streams.remove(s);
    s.client.close();
  }

  /** Ends every open stream (once; later calls do nothing). */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS); // a tick writing now finishes first
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    streams.forEach(s -> s.client.close());
    streams.clear();
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
