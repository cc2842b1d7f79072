package io.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.SpoolEngine;
import io.spool.http.ApiTokens;
import io.spool.http.SpoolServer;
import io.spool.http.UrlPolicy;
import io.spool.http.WebhookSettings;
import io.spool.media.BadArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spool serve}: the HTTP API, until stopped. Tokens come from {@code SPOOL_API_TOKENS}
 * (comma-separated) and {@code serve.tokens} in {@code SPOOL_HOME/config.json}:
 * <pre>{"serve": {"tokens": ["..."], "allow_addresses": ["private"], "input_urls": true}}</pre>
 * Webhooks are signed with {@code SPOOL_WEBHOOK_SECRET}; {@code input_urls} lets jobs name http(s)
 * URLs as inputs, to the addresses {@code allow_addresses} allows webhooks.
 */
@Command(name = "serve", description = {
    "Serve the HTTP API: uploads transcoded in the answer, jobs and batches, volumes, signed webhooks, /metrics,",
    "/v1/openapi.json, and a dashboard at /. Runs the jobs on the embedded engine, or submits them to the shared",
    "Temporal service named by --temporal or SPOOL_TEMPORAL. Every route but /healthz, /readyz, /v1/openapi.json and",
    "the dashboard's page needs Authorization: Bearer TOKEN, a token of SPOOL_API_TOKENS (comma-separated) or of",
    "serve.tokens in SPOOL_HOME/config.json (the dashboard asks for one). Ctrl-C or SIGTERM stops it."})
final class ServeCommand extends SpoolSubcommand {
  static final String TOKENS_ENV = "SPOOL_API_TOKENS";
  static final String WEBHOOK_SECRET_ENV = "SPOOL_WEBHOOK_SECRET";

  @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDR",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String bind;

  @Option(names = "--max-upload-size", defaultValue = "2GB", paramLabel = "SIZE", converter = Units.SizeConverter.class,
      description = "Largest upload taken, e.g. 500MB, 2GB (default: ${DEFAULT-VALUE}); a larger one gets 413 as soon as it passes this.")
  long maxUploadBytes;

  @Option(names = "--upload-expiry", defaultValue = "24h", paramLabel = "DURATION", converter = Units.DurationConverter.class,
      description = "How long an unfinished resumable upload (/v1/uploads) lasts without a write (default: ${DEFAULT-VALUE});"
          + " then its bytes are removed.")
  java.time.Duration uploadExpiry;

  @Option(names = "--max-queued", defaultValue = "1000", paramLabel = "N",
      description = "Unfinished jobs the server holds at once (default: ${DEFAULT-VALUE}); past that, 429 with Retry-After.")
  int maxQueued;

  @Mixin ServiceOptions service;

  @Override
  public Integer call() throws InterruptedException {
    ApiTokens tokens = tokens();
    CountDownLatch stopped = new CountDownLatch(1);
    WebhookSettings webhooks = webhooks();
    boolean inputUrls = inputUrls();
    try (SpoolEngine engine = startEngine(service.settings());
        SpoolServer server = configured(SpoolServer.newBuilder(engine).bind(bind).port(port).tokens(tokens)
            .maxUploadBytes(maxUploadBytes).uploadExpiry(uploadExpiry).maxQueued(maxQueued).webhooks(webhooks)
            .capabilities(() -> DoctorCommand.hostReport(tools(), false)).jobType(new TranscribeRequests(engine)),
            inputUrls, webhooks).build()) {
      server.start();
      Signals.onStop(stopped::countDown);
      Map<String, Object> started = new LinkedHashMap<>();
      started.put("url", "http://" + bind + ":" + server.port());
      started.put("engine", engine.embedded() ? "embedded" : "shared");
      started.put("tokens", tokens.toString());
      print(started, "spool serve: listening on http://" + bind + ":" + server.port() + " ("
          + (engine.embedded() ? "embedded engine" : "shared Temporal service") + ", " + tokens + "; Ctrl-C stops it)");
      stopped.await();
    }
    return ExitCodes.OK;
  }

  /**
   * Webhooks are signed with {@code SPOOL_WEBHOOK_SECRET} (without it, jobs that ask for a webhook
   * are refused) and sent only to public addresses, unless {@code serve.allow_addresses} in the
   * config file lists kinds to allow too: {@code loopback}, {@code link-local}, {@code private}.
   */
  static WebhookSettings webhooks() {
    JsonNode allow = ServiceOptions.configFile().path("serve").path("allow_addresses");
    if (!allow.isMissingNode() && !allow.isArray()) {
      throw new BadArgumentException("serve.allow_addresses in " + SpoolHome.dir().resolve("config.json")
          + " must be a list such as [\"loopback\", \"private\"]");
    }
    List<String> kinds = new ArrayList<>();
    allow.forEach(k -> kinds.add(k.asText()));
    return WebhookSettings.of(System.getenv(WEBHOOK_SECRET_ENV), UrlPolicy.allowing(kinds));
  }

  private static SpoolServer.Builder configured(SpoolServer.Builder b, boolean inputUrls, WebhookSettings webhooks) {
    return inputUrls ? b.inputUrls(webhooks.urls(), SpoolServer.DEFAULT_INPUT_URL_TIMEOUT) : b;
  }

  /**
   * Whether jobs may name http(s) URLs as inputs: {@code serve.input_urls} in the config file
   * (default false), to the same addresses as webhooks ({@code serve.allow_addresses}).
   */
  static boolean inputUrls() {
    JsonNode on = ServiceOptions.configFile().path("serve").path("input_urls");
    if (!on.isMissingNode() && !on.isBoolean()) {
      throw new BadArgumentException("serve.input_urls in " + SpoolHome.dir().resolve("config.json")
          + " must be true or false");
    }
    return on.asBoolean(false);
  }

  /** The tokens of the environment and of the config file; at least one is needed. */
  static ApiTokens tokens() {
    JsonNode listed = ServiceOptions.configFile().path("serve").path("tokens");
    List<String> fromFile = new ArrayList<>();
    if (!listed.isMissingNode() && !listed.isArray()) {
      throw new BadArgumentException("serve.tokens in " + SpoolHome.dir().resolve("config.json") + " must be a list of strings");
    }
    listed.forEach(t -> fromFile.add(t.asText()));
    ApiTokens tokens = ApiTokens.parse(System.getenv(TOKENS_ENV)).and(ApiTokens.of(fromFile));
    if (tokens.isEmpty()) {
      throw new BadArgumentException("no API tokens: set " + TOKENS_ENV + " (comma-separated) or serve.tokens in "
          + SpoolHome.dir().resolve("config.json"));
    }
    return tokens;
  }
}
