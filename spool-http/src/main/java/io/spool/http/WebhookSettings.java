package io.spool.http;

import io.spool.media.BadArgumentException;
import java.time.Duration;
import java.util.Objects;

/**
 * How jobs' outcomes are sent to their webhooks: signed with {@code secret} (HMAC-SHA256, in the
 * {@code Spool-Signature} header), to URLs {@code urls} allows, tried at most {@code maxAttempts}
 * times with a wait that starts at {@code firstRetryDelay} and doubles (up to an hour), each attempt
 * given {@code timeout}.
 *
 * @param secret null where none is set: then jobs with a webhook are refused
 */
public record WebhookSettings(String secret, UrlPolicy urls, int maxAttempts, Duration firstRetryDelay, Duration timeout) {
  public static final int DEFAULT_MAX_ATTEMPTS = 8;
  public static final Duration DEFAULT_FIRST_RETRY_DELAY = Duration.ofSeconds(5);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** Without a secret no webhook can be signed: jobs that ask for one are refused. */
  public static final WebhookSettings NONE = new WebhookSettings(null, UrlPolicy.PUBLIC_ONLY, DEFAULT_MAX_ATTEMPTS,
      DEFAULT_FIRST_RETRY_DELAY, DEFAULT_TIMEOUT);

  public WebhookSettings {
    Objects.requireNonNull(urls, "urls");
    if (secret != null && secret.strip().length() < 16) {
      throw new BadArgumentException("the webhook secret (SPOOL_WEBHOOK_SECRET) needs at least 16 characters");
    }
    if (maxAttempts < 1 || maxAttempts > 50) {
      throw new BadArgumentException("webhook attempts must be 1-50, got " + maxAttempts);
    }
    if (firstRetryDelay.isNegative() || firstRetryDelay.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new BadArgumentException("webhook delays and timeouts must be positive");
    }
  }

  /** Signed with {@code secret}, to the URLs {@code urls} allows, with the default retries. */
  public static WebhookSettings of(String secret, UrlPolicy urls) {
    return new WebhookSettings(secret == null || secret.isBlank() ? null : secret.strip(), urls, DEFAULT_MAX_ATTEMPTS,
        DEFAULT_FIRST_RETRY_DELAY, DEFAULT_TIMEOUT);
  }

  public WebhookSettings withRetries(int attempts, Duration firstDelay) {
    return new WebhookSettings(secret, urls, attempts, firstDelay, timeout);
  }

  @Override
  public String toString() {
    return "WebhookSettings[secret=" + (secret == null ? "none" : "set") + ", urls=" + urls + ", maxAttempts=" + maxAttempts
        + ", firstRetryDelay=" + firstRetryDelay + ", timeout=" + timeout + "]";
  }
}
