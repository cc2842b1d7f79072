package io.spool.http.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.spool.engine.JobRecord;
import io.spool.engine.JobSpec;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.engine.PreparedBatch;
import io.spool.engine.SpoolEngine;
import io.spool.media.BadArgumentException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Asynchronous jobs: {@code POST /v1/jobs} (202 and a Location), {@code GET /v1/jobs/{id}},
 * {@code GET /v1/jobs?state=&limit=&cursor=} (a page from the job store, newest first),
 * {@code DELETE /v1/jobs/{id}} (cancel), {@code GET /v1/jobs/{id}/outputs/{name}}; and batches,
 * {@code POST /v1/batches}, {@code GET /v1/batches/{id}}.
 */
final class JobRoutes {
  static final int DEFAULT_PAGE = 50;
  static final int MAX_PAGE = 1000;

  private final SpoolEngine engine;
  private final Admission admission;
  private final JobFollower follower;
  private final Idempotency idempotency;
  private final Webhooks webhooks;
  private final JobRequests requests;
  private final Intake intake;
  private final InputUrls inputUrls;

  JobRoutes(SpoolEngine engine, JobRequests requests, InputUrls inputUrls, Admission admission, JobFollower follower,
      Webhooks webhooks, Intake intake) {
    this.engine = engine;
    this.inputUrls = inputUrls;
    this.intake = intake;
    this.requests = requests;
    this.admission = admission;
    this.follower = follower;
    this.idempotency = new Idempotency(engine.store().idempotencyKeys());
    this.webhooks = webhooks;
  }

  void addTo(RoutesConfig routes) {
    routes.post("/v1/jobs", this::submit);
    routes.get("/v1/jobs", this::list);
    routes.get("/v1/jobs/{id}", this::show);
    routes.delete("/v1/jobs/{id}", this::cancel);
    routes.get("/v1/jobs/{id}/outputs/{name}", this::output);
    routes.post("/v1/batches", this::submitBatch);
    routes.get("/v1/batches/{id}", this::showBatch);
  }

  private void submit(Context ctx) throws Exception {
    JobRequests.Job req = JobRequests.parse(ctx.body(), JobRequests.Job.class);
    JobRecord[] made = new JobRecord[1];
    Idempotency.Made m = idempotency.once(ctx, "jobs", req, () -> {
      webhooks.check(req.webhookUrl());
      try (InputUrls.Scope fetched = inputUrls.scope()) {
        JobSpec spec = requests.spec(req, fetched);
        PreparedBatch b = start(spec.type(), List.of(spec), 1);
        fetched.keep();
        made[0] = b.records().get(0);
        webhooks.register(b.jobIds(), req.webhookUrl());
        return made[0].id();
      }
    });
    // Made now, the record is the one just written; a replay reads what the first request made.
    JobRecord r = made[0] != null ? made[0] : job(m.id());
    ctx.status(202).header("Location", "/v1/jobs/" + r.id()).json(JobViews.summary(engine, r));
  }

  private void submitBatch(Context ctx) throws Exception {
    JobRequests.Batch req = JobRequests.parse(ctx.body(), JobRequests.Batch.class);
    Idempotency.Made made = idempotency.once(ctx, "batches", req, () -> {
      webhooks.check(req.webhookUrl());
      try (InputUrls.Scope fetched = inputUrls.scope()) {
        List<JobSpec> specs = requests.specs(req, fetched);
        PreparedBatch b = start(req.type(), specs, req.concurrency() == null ? 0 : req.concurrency());
        fetched.keep();
        webhooks.register(b.jobIds(), req.webhookUrl());
        return b.id();
      }
    });
    var b = engine.store().batch(made.id()).orElseThrow(() -> Refused.notFound("no batch with id " + made.id()));
    ctx.status(202).header("Location", "/v1/batches/" + b.id()).json(JobViews.batch(b, engine.store().tally(b.id())));
  }

  /**
   * Submits jobs that each take a place in the admission until they end; returns once their
   * records are written (see {@link Intake}).
   */
  private PreparedBatch start(String type, List<JobSpec> specs, int concurrency) {
    admission.take(specs.size());
    try {
      PreparedBatch b = engine.prepare(type, specs, concurrency);
      follower.follow(intake.submit(b));
      return b;
    } catch (RuntimeException e) {
      admission.release(specs.size());
      throw e;
    }
  }

  private void show(Context ctx) {
    JobRecord r = job(ctx.pathParam("id"));
    var running = r.state() == JobState.RUNNING ? follower.progress(r.batchId(), r.id()) : Optional.<io.spool.engine.RunningJob>empty();
    ctx.json(JobViews.full(engine, r, engine.store().attempts(r.id()), running, webhooks.deliveries(r.id())));
  }

  private void list(Context ctx) {
    JobState state = null;
    String s = ctx.queryParam("state");
    if (s != null && !s.isBlank()) {
      try {
        state = JobState.valueOf(s.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadArgumentException("unknown state '" + s + "'; use queued, running, succeeded, failed or cancelled");
      }
    }
    int limit = DEFAULT_PAGE;
    String l = ctx.queryParam("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l.strip());
      } catch (NumberFormatException e) {
        throw new BadArgumentException("limit must be a number, got '" + l + "'");
      }
      if (limit < 1 || limit > MAX_PAGE) {
        throw new BadArgumentException("limit must be between 1 and " + MAX_PAGE + ", got " + limit);
      }
    }
    String cursor = ctx.queryParam("cursor");
    JobStore.Page page = engine.store().jobs(new JobStore.JobQuery(state, null, limit,
        cursor == null || cursor.isBlank() ? null : cursor));
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("jobs", page.jobs().stream().map(r -> JobViews.summary(engine, r)).toList());
    body.put("next_cursor", page.nextCursor());
    ctx.json(body);
  }

  private void cancel(Context ctx) {
    JobRecord r = job(ctx.pathParam("id"));
    boolean requested = engine.cancelJob(r.id());
    ctx.status(requested ? 202 : 200).json(Map.of("id", r.id(), "cancel_requested", requested,
        "state", JobViews.state(job(r.id()).state())));
  }

  private void output(Context ctx) throws java.io.IOException {
    JobRecord r = job(ctx.pathParam("id"));
    String name = ctx.pathParam("name");
    try (var file = JobViews.openOutput(engine, r, name)
        .orElseThrow(() -> Refused.notFound(r.state() == JobState.SUCCEEDED ? "job " + r.id() + " has no output named '" + name + "'"
            : "job " + r.id() + " is " + JobViews.state(r.state()) + ": its outputs appear when it succeeds"))) {
      FileAnswers.send(ctx, file, FileAnswers.contentTypeOf(name), name);
    }
  }

  private void showBatch(Context ctx) {
    String id = ctx.pathParam("id");
    checkId(id, "batch");
    var b = engine.store().batch(id).orElseThrow(() -> Refused.notFound("no batch with id " + id));
    ctx.json(JobViews.batch(b, engine.store().tally(id)));
  }

  /** The job's record, or 404. */
  JobRecord job(String id) {
    checkId(id, "job");
    return engine.store().job(id).orElseThrow(() -> Refused.notFound("no job with id " + id));
  }

  private static void checkId(String id, String what) {
    if (id == null || !id.matches("[a-z0-9-]{1,80}")) {
      throw Refused.notFound("no " + what + " with id '" + id + "'");
    }
  }
}
