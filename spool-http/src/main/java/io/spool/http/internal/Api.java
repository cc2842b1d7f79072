package io.spool.http.internal;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.spool.http.SpoolServer;

/** The Javalin application: its settings, the bearer check, the error answers, the metrics and every route. */
public final class Api implements AutoCloseable {
  private final SpoolServer.Settings settings;
  private final Admission admission;
  private final Uploads uploads;
  private final JobFollower follower;
  private final Intake intake;
  private EventsRoute events;
  private final Webhooks webhooks;
  private final ServerMetrics metrics;
  /** The largest JSON body taken (a batch of many jobs). */
  private static final long MAX_JSON_BYTES = 16L << 20;
  /** Where uploads and results of synchronous transcodes lie while a request runs. */
  private final java.nio.file.Path scratch;
  private final ResumableUploads resumable;
  private final InputUrls inputUrls;
  private final java.util.concurrent.ScheduledExecutorService sweeper;

  public Api(SpoolServer.Settings settings) {
    this.settings = settings;
    this.admission = new Admission(settings.maxQueued());
    this.uploads = new Uploads(settings.maxUploadBytes());
    this.scratch = settings.engine().config().scratchDir().resolve("http");
    this.metrics = new ServerMetrics(settings.engine(), admission);
    this.webhooks = new Webhooks(settings.engine(), settings.webhooks());
    this.intake = new Intake(settings.engine());
    this.resumable = new ResumableUploads(ResumableUploads.rootOf(settings.engine()), settings.uploadExpiry(),
        java.time.Clock.systemUTC());
    this.inputUrls = new InputUrls(settings.inputUrls(), resumable, settings.maxUploadBytes(), settings.inputUrlTimeout());
    this.follower = new JobFollower(settings.engine(), admission, r -> {
      metrics.ended(r);
      inputUrls.ended(r);
    });
    this.sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spool-upload-sweeper");
      t.setDaemon(true);
      return t;
    });
    // Often enough that an expired upload lingers at most half its expiry (a minute for long ones).
    long every = Math.max(100, Math.min(settings.uploadExpiry().toMillis() / 2, 60_000));
    sweeper.scheduleWithFixedDelay(resumable::sweep, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    // Jobs of processes that died (this server killed, before it was started again) are recorded
    // as such at once and every minute after, so that no answer calls a dead job running.
    sweeper.scheduleWithFixedDelay(this::closeAbandoned, 0, 60, java.util.concurrent.TimeUnit.SECONDS);
  }

  public Javalin create() {
    BearerAuth auth = new BearerAuth(settings.tokens());
    return Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.jsonMapper(new JavalinJackson(HttpJson.MAPPER, false));
      config.http.prefer405over404 = true;
      config.http.maxRequestSize = MAX_JSON_BYTES;
      config.requestLogger.http((ctx, millis) -> metrics.count(ctx));
      config.routes.before(TusRoutes::stamp);
      config.routes.before(auth::check);
      config.routes.before(PathGuard::check);
      ErrorAnswers.install(config.routes, message -> JobViews.shown(settings.engine(), message));
      new HealthRoutes(settings.engine(), settings.capabilities()).addTo(config.routes);
      TranscodeRoute transcode = new TranscodeRoute(settings.engine(), admission, uploads, scratch, metrics::ended);
      config.routes.post("/v1/transcode", transcode::handle);
      new TusRoutes(resumable, settings.maxUploadBytes()).addTo(config.routes);
      JobRoutes jobs = new JobRoutes(settings.engine(),
          new JobRequests(settings.engine(), resumable, inputUrls, settings.jobTypes()), inputUrls, admission, follower,
          webhooks, intake);
      jobs.addTo(config.routes);
      events = new EventsRoute(settings.engine(), follower, jobs);
      events.addTo(config.routes);
      new VolumeRoutes(settings.engine().volumes(), uploads, scratch.resolve("volumes")).addTo(config.routes);
      new DashboardRoutes().addTo(config.routes);
      new OpenApiRoute().addTo(config.routes);
      new DocsRoutes().addTo(config.routes);
      new PosterRoute(settings.engine(), scratch.resolve("posters")).addTo(config.routes);
      metrics.addTo(config.routes);
    });
  }

  private void closeAbandoned() {
    try {
      settings.engine().store().closeAbandoned();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Api.class).debug("abandoned jobs not closed this time", e);
    }
  }

  /** Ends the open event streams, while their requests are still the server's to end. */
  public void beforeStop() {
    if (events != null) {
      events.close();
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    intake.close();
    if (events != null) {
      events.close();
    }
    follower.close();
    webhooks.close();
  }
}
