package io.spool.http.internal;

import io.spool.engine.JobOutcome;
import io.spool.engine.JobRecord;
import io.spool.engine.SpoolEngine;
import io.spool.engine.WebhookDelivery;
import io.spool.engine.WebhookLog;
import io.spool.http.WebhookSettings;
import io.spool.media.BadArgumentException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each job's outcome to its webhook once the job has ended: a JSON POST signed with
 * {@code Spool-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}, tried again
 * with a doubling wait on a timeout or a status other than 2xx, at most the settings' attempts.
 * Deliveries and their attempts live in the job store, so a delivery that a stopped server left
 * is sent by the next one. Redirects are followed only to URLs the policy allows, checked anew.
 */
final class Webhooks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  static final String SIGNATURE_HEADER = "Spool-Signature";
  private static final long POLL_MILLIS = 250;
  private static final int SENDERS = 4;
  private static final Duration LONGEST_WAIT = Duration.ofHours(1);

  private final SpoolEngine engine;
  private final WebhookLog log;
  private final WebhookSettings settings;
  private final HttpClient client;
  private final ExecutorService senders;
  private final Set<String> sending = ConcurrentHashMap.newKeySet();
  private final Thread poller;

  Webhooks(SpoolEngine engine, WebhookSettings settings) {
    this.engine = engine;
    this.log = engine.store().webhooks();
    this.settings = settings;
    this.client = PolicedRequests.client(settings.timeout());
    this.senders = Executors.newFixedThreadPool(SENDERS, r -> {
      Thread t = new Thread(r, "spool-webhook-sender");
      t.setDaemon(true);
      return t;
    });
    this.poller = new Thread(this::poll, "spool-webhooks");
    poller.setDaemon(true);
    poller.start();
  }

  /** Refuses a webhook URL this server would not call, or any where it has no secret to sign with. */
  void check(String url) {
    if (url == null) {
      return;
    }
    if (settings.secret() == null) {
      throw new BadArgumentException("this server sends no webhooks: SPOOL_WEBHOOK_SECRET is not set");
    }
    settings.urls().check(url);
  }

  void register(List<String> jobIds, String url) {
    if (url != null) {
      log.add(jobIds, url);
    }
  }

  /** The job's delivery as the API shows it; null where the job has no webhook. */
  List<WebhookViews.Delivery> deliveries(String jobId) {
    return log.of(jobId).map(d -> List.of(new WebhookViews.Delivery(d.url(), d.state().name().toLowerCase(java.util.Locale.ROOT),
        d.state() == WebhookDelivery.State.PENDING ? d.nextAttemptAt() : null,
        d.log().stream().map(a -> new WebhookViews.Attempt(a.number(), a.at(), a.status(), a.latencyMillis(), a.error()))
            .toList()))).orElse(null);
  }

  private void poll() {
    Duration lease = settings.timeout().multipliedBy(PolicedRequests.MAX_REDIRECTS + 1).plusSeconds(30);
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(POLL_MILLIS);
        try {
          for (WebhookDelivery d : log.takeDue(SENDERS * 4, lease)) {
            if (sending.add(d.jobId())) {
              senders.execute(() -> {
                try {
                  send(d);
                } finally {
                  sending.remove(d.jobId());
                }
              });
            }
          }
        } catch (RuntimeException e) {
          LOG.debug("webhook deliveries not read this time", e);
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  private void send(WebhookDelivery d) {
    String body;
    try {
      body = d.body() != null ? d.body() : payload(engine.store().requireJob(d.jobId()));
    } catch (RuntimeException e) {
      LOG.warn("webhook of job {} not sent: {}", d.jobId(), e.getMessage());
      return; // due again once its lease ends
    }
    int number = d.attempts() + 1;
    Instant at = Instant.now();
    long t0 = System.nanoTime();
    Integer status = null;
    String error = null;
    try {
      status = post(URI.create(d.url()), body);
      if (status < 200 || status > 299) {
        error = "the receiver answered " + status;
      }
    } catch (HttpTimeoutException e) {
      error = "no answer within " + settings.timeout().toMillis() + " ms";
    } catch (IOException | RuntimeException e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // the server is stopping: the lease runs out and the next server sends it
    }
    long latency = (System.nanoTime() - t0) / 1_000_000;
    boolean ok = error == null;
    WebhookDelivery.State state = ok ? WebhookDelivery.State.DELIVERED
        : number >= settings.maxAttempts() ? WebhookDelivery.State.FAILED : WebhookDelivery.State.PENDING;
    Instant next = state == WebhookDelivery.State.PENDING ? Instant.now().plus(wait(number)) : null;
    log.record(d.jobId(), new WebhookDelivery.Attempt(number, at, status, latency, error), body, state, next);
    if (state == WebhookDelivery.State.FAILED) {
      LOG.warn("webhook of job {} given up after {} attempts: {}", d.jobId(), number, error);
    }
  }

  /** The wait before the attempt after attempt {@code n}: the first delay, doubled each time, an hour at most. */
  private Duration wait(int n) {
    Duration w = settings.firstRetryDelay().multipliedBy(1L << Math.min(n - 1, 20));
    return w.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : w;
  }

  /** Posts the body, following redirects the policy allows; returns the final status. */
  private int post(URI target, String body) throws IOException, InterruptedException {
    return PolicedRequests.send(client, settings.urls(), target, uri -> {
      long t = Instant.now().getEpochSecond();
      return HttpRequest.newBuilder(uri).timeout(settings.timeout())
          .header("Content-Type", "application/json").header("User-Agent", "Spool-Webhooks")
          .header(SIGNATURE_HEADER, "t=" + t + ",v1=" + sign(settings.secret(), t, body))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The hex HMAC-SHA256 of {@code "<t>.<body>"} with the secret. */
  static String sign(String secret, long t, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return java.util.HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** What a receiver is told: the job, how it ended, its outputs with sizes, duration, cost, error. */
  private String payload(JobRecord r) {
    JobOutcome o = r.outcome();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job_id", r.id());
    m.put("batch_id", r.batchId());
    m.put("type", r.type());
    m.put("status", JobViews.state(r.state()));
    m.put("input", JobViews.shown(engine, r.input()));
    m.put("outputs", JobViews.outputs(engine, r).stream().filter(x -> r.state() == io.spool.engine.JobState.SUCCEEDED).toList());
    if (o != null) {
      m.put("started_at", o.startedAt());
      m.put("finished_at", o.finishedAt());
      if (o.startedAt() != null && o.finishedAt() != null) {
        m.put("duration_seconds", Duration.between(o.startedAt(), o.finishedAt()).toMillis() / 1000.0);
      }
      m.put("media_seconds", o.mediaSeconds());
      m.put("attempts", o.attempts());
      m.put("cost", o.cost());
      if (o.errorCode() != null) {
        m.put("error", Map.of("code", o.errorCode(), "message", o.error() == null ? "" : JobViews.shown(engine, o.error())));
      }
    }
    return HttpJson.write(m);
  }

  @Override
  public void close() {
    poller.interrupt();
    senders.shutdownNow();
  }
}
