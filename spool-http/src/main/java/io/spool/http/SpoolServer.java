package io.spool.http;

import io.javalin.Javalin;
import io.spool.engine.SpoolEngine;
import io.spool.http.internal.Api;
import io.spool.media.BadArgumentException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Spool's HTTP API on a port, over an engine that the caller owns (embedded, or submitting to a
 * shared Temporal service): synchronous transcodes, resumable (tus) uploads, asynchronous jobs and
 * batches, volumes, and signed webhooks. Every route but the health checks needs a bearer token.
 *
 * <pre>{@code
 * try (SpoolServer server = SpoolServer.newBuilder(engine).port(8080).tokens(tokens).build().start()) {
 *   ...
 * }
 * }</pre>
 */
public final class SpoolServer implements AutoCloseable {
  /** The upload limit unless {@link Builder#maxUploadBytes} says otherwise: 2 GiB. */
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 2L << 30;
  /** How many unfinished jobs the server holds unless {@link Builder#maxQueued} says otherwise. */
  public static final int DEFAULT_MAX_QUEUED = 1000;
  /** How long an unfinished resumable upload lasts without a write unless {@link Builder#uploadExpiry} says otherwise. */
  public static final java.time.Duration DEFAULT_UPLOAD_EXPIRY = java.time.Duration.ofHours(24);

  private final Settings settings;
  private final Api api;
  private Javalin app;

  /** How long reading an input URL may take unless {@link Builder#inputUrls} says otherwise. */
  public static final java.time.Duration DEFAULT_INPUT_URL_TIMEOUT = java.time.Duration.ofMinutes(10);

  /**
   * What a server was built with.
   *
   * @param inputUrls the addresses job input URLs may lead to; null where the server takes none
   */
  public record Settings(SpoolEngine engine, String bind, int port, ApiTokens tokens, long maxUploadBytes, int maxQueued,
      Supplier<?> capabilities, WebhookSettings webhooks, java.time.Duration uploadExpiry,
      java.util.List<JobRequestType> jobTypes, UrlPolicy inputUrls, java.time.Duration inputUrlTimeout) {
    public Settings {
      Objects.requireNonNull(inputUrlTimeout, "inputUrlTimeout");
      if (inputUrlTimeout.isNegative() || inputUrlTimeout.isZero()) {
        throw new BadArgumentException("the input URL timeout must be positive, got " + inputUrlTimeout);
      }
      Objects.requireNonNull(uploadExpiry, "uploadExpiry");
      if (uploadExpiry.isNegative() || uploadExpiry.isZero()) {
        throw new BadArgumentException("upload expiry must be positive, got " + uploadExpiry);
      }
      Objects.requireNonNull(engine, "engine");
      jobTypes = java.util.List.copyOf(jobTypes);
      Objects.requireNonNull(webhooks, "webhooks");
      Objects.requireNonNull(tokens, "tokens");
      Objects.requireNonNull(capabilities, "capabilities");
      if (port < 0 || port > 65535) {
        throw new BadArgumentException("port must be 0-65535 (0: any free port), got " + port);
      }
      if (bind == null || bind.isBlank()) {
        throw new BadArgumentException("bind address must not be blank");
      }
      if (tokens.isEmpty()) {
        throw new BadArgumentException("no API tokens: set SPOOL_API_TOKENS (comma-separated) or serve.tokens in"
            + " SPOOL_HOME/config.json");
      }
      if (maxUploadBytes < 1) {
        throw new BadArgumentException("max upload size must be positive, got " + maxUploadBytes);
      }
      if (maxQueued < 1) {
        throw new BadArgumentException("max queued jobs must be at least 1, got " + maxQueued);
      }
    }
  }

  private SpoolServer(Settings settings) {
    this.settings = settings;
    this.api = new Api(settings);
  }

  public static Builder newBuilder(SpoolEngine engine) {
    return new Builder(engine);
  }

  /** Starts listening; returns once the port is bound. */
  public synchronized SpoolServer start() {
    if (app != null) {
      throw new IllegalStateException("the server is started already");
    }
    Javalin created = api.create();
    try {
      created.start(settings.bind(), settings.port());
    } catch (io.javalin.util.JavalinBindException e) {
      throw new BadArgumentException("cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage());
    }
    app = created;
    return this;
  }

  /** The port it listens on (the one the system picked, for port 0). */
  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("the server is not started");
    }
    return app.port();
  }

  public Settings settings() {
    return settings;
  }

  /** Stops listening and the server's own background work; the engine stays the caller's to close. */
  @Override
  public synchronized void close() {
    if (app != null) {
      api.beforeStop(); // an event stream left open would keep the stop waiting
      app.stop();
      app = null;
    }
    api.close();
  }

  public static final class Builder {
    private final SpoolEngine engine;
    private String bind = "127.0.0.1";
    private int port = 8080;
    private ApiTokens tokens = ApiTokens.of(java.util.List.of());
    private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
    private int maxQueued = DEFAULT_MAX_QUEUED;
    private Supplier<?> capabilities = java.util.Map::of;
    private WebhookSettings webhooks = WebhookSettings.NONE;
    private final java.util.List<JobRequestType> jobTypes = new java.util.ArrayList<>();
    private java.time.Duration uploadExpiry = DEFAULT_UPLOAD_EXPIRY;
    private UrlPolicy inputUrls;
    private java.time.Duration inputUrlTimeout = DEFAULT_INPUT_URL_TIMEOUT;

    private Builder(SpoolEngine engine) {
      this.engine = engine;
    }

    /** The address to listen on (default 127.0.0.1; 0.0.0.0 for every interface). */
    public Builder bind(String address) {
      this.bind = address;
      return this;
    }

    /** The port (default 8080; 0 for any free one). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Who may call the API; at least one token is needed. */
    public Builder tokens(ApiTokens tokens) {
      this.tokens = tokens;
      return this;
    }

    /** The largest upload taken (default 2 GiB); a larger one is refused with 413 as soon as it passes the limit. */
    public Builder maxUploadBytes(long bytes) {
      this.maxUploadBytes = bytes;
      return this;
    }

    /** How many jobs may be unfinished at once (default 1000); past that, 429 with Retry-After. */
    public Builder maxQueued(int jobs) {
      this.maxQueued = jobs;
      return this;
    }

    /** What {@code GET /v1/capabilities} answers (what {@code spool doctor} reports). */
    public Builder capabilities(Supplier<?> report) {
      this.capabilities = report;
      return this;
    }

    /** How jobs' webhooks are signed and sent (default: none; jobs that ask for one are refused). */
    public Builder webhooks(WebhookSettings settings) {
      this.webhooks = settings;
      return this;
    }

    /**
     * How long an unfinished resumable upload ({@code /v1/uploads}) lasts without a write (default
     * 24 hours); past that its bytes are removed.
     */
    public Builder uploadExpiry(java.time.Duration expiry) {
      this.uploadExpiry = expiry;
      return this;
    }

    /**
     * Takes http and https URLs as jobs' inputs, to addresses {@code policy} allows (default: none
     * taken). The server downloads each into its upload store before it answers, refusing one past
     * the upload limit or {@code timeout}; the bytes are removed once the job has ended.
     */
    public Builder inputUrls(UrlPolicy policy, java.time.Duration timeout) {
      this.inputUrls = Objects.requireNonNull(policy, "policy");
      this.inputUrlTimeout = timeout;
      return this;
    }

    /**
     * Accepts jobs of {@code type} too (Spool's media operations are known already); the engine's
     * workers must run its job type.
     */
    public Builder jobType(JobRequestType type) {
      this.jobTypes.add(Objects.requireNonNull(type, "type"));
      return this;
    }

    public SpoolServer build() {
      return new SpoolServer(new Settings(engine, bind, port, tokens, maxUploadBytes, maxQueued, capabilities, webhooks,
          uploadExpiry, jobTypes, inputUrls, inputUrlTimeout));
    }
  }
}
