package io.spool.http.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.SpoolEngine;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /metrics} in Prometheus' text format: the job store's jobs by state, the queue's depth,
 * the jobs running, the jobs this server holds unfinished, the durations and cost of the jobs this
 * server submitted as they end (by type and final state), and the HTTP requests it answered by
 * method and status. Job counts are read from the store once per scrape, so that every server on
 * a shared store reports the same numbers. The registry is this server's own, not a global one.
 */
final class ServerMetrics {
  static final String PATH = "/metrics";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final SpoolEngine engine;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private volatile Map<JobState, Integer> jobs = Map.of();

  ServerMetrics(SpoolEngine engine, Admission admission) {
    this.engine = engine;
    for (JobState s : JobState.values()) {
      Gauge.builder("spool.jobs", this, m -> m.jobs.getOrDefault(s, 0)).strongReference(true)
          .description("Jobs in the job store in each state").tag("state", JobViews.state(s)).register(registry);
    }
    Gauge.builder("spool.queue.depth", this, m -> m.jobs.getOrDefault(JobState.QUEUED, 0)).strongReference(true)
        .description("Jobs waiting for a worker").register(registry);
    Gauge.builder("spool.jobs.running", this, m -> m.jobs.getOrDefault(JobState.RUNNING, 0)).strongReference(true)
        .description("Jobs running now").register(registry);
    Gauge.builder("spool.http.unfinished.jobs", admission, Admission::held).strongReference(true)
        .description("Jobs this server accepted that have not ended (what --max-queued limits)").register(registry);
  }

  void addTo(RoutesConfig routes) {
    routes.get(PATH, this::scrape);
  }

  /** Counts a job this server submitted, once it has ended: its duration, CPU time and cost. */
  void ended(JobRecord job) {
    String type = job.type();
    String state = JobViews.state(job.state());
    JobOutcome o = job.outcome();
    if (o == null) {
      return;
    }
    if (o.startedAt() != null && o.finishedAt() != null) {
      Timer.builder("spool.job.duration").description("Wall time of ended jobs, from their start to their end")
          .tag("type", type).tag("state", state).publishPercentileHistogram()
          .register(registry).record(java.time.Duration.between(o.startedAt(), o.finishedAt()));
    }
    if (o.metrics() != null) {
      Counter.builder("spool.job.cpu.seconds").description("CPU-seconds used by ended jobs").tag("type", type)
          .register(registry).increment(o.metrics().cpuSeconds());
    }
    if (o.cost() != null) {
      Counter.builder("spool.job.cost.usd").description("Cost of ended jobs at this host's prices, in US dollars")
          .tag("type", type).register(registry).increment(o.cost().totalUsd());
    }
  }

  /** Counts an answered request; called by the server's request logger, after the status is final. */
  void count(Context ctx) {
    String method = ctx.method().name();
    Counter.builder("spool.http.requests").description("HTTP requests answered, by method and status")
        .tag("method", METHODS.contains(method) ? method : "OTHER")
        .tag("status", Integer.toString(ctx.statusCode()))
        .register(registry).increment();
  }

  private void scrape(Context ctx) {
    jobs = engine.store().tally();
    ctx.contentType(CONTENT_TYPE).result(registry.scrape());
  }
}
