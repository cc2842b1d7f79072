package io.spool.http.internal;

import io.spool.http.HttpStatuses.Refusal;
import java.util.Map;

/** A request the HTTP layer turns down before or without running anything: answered with its refusal's status. */
public final class Refused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Refusal refusal;
  private final Map<String, String> headers;

  public Refused(Refusal refusal, String message) {
    this(refusal, message, Map.of());
  }

  public Refused(Refusal refusal, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.refusal = refusal;
    this.headers = Map.copyOf(headers);
  }

  public Refusal refusal() {
    return refusal;
  }

  /** Headers the answer carries (Retry-After, WWW-Authenticate). */
  public Map<String, String> headers() {
    return headers;
  }

  static Refused notFound(String what) {
    return new Refused(Refusal.NOT_FOUND, what);
  }
}
