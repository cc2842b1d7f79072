package io.spool.engine;

import io.spool.media.BadArgumentException;
import java.nio.file.Path;

/**
 * Where a shared Temporal service is and how to reach it: {@code host:port}, the namespace, and
 * for TLS the client certificate and key (PKCS #8 PEM) and, where the service's certificate is not
 * signed by a CA the JVM trusts, that CA's certificate.
 */
public record TemporalSettings(String target, String namespace, Path tlsCert, Path tlsKey, Path tlsCa) {
  public static final String DEFAULT_NAMESPACE = "default";

  public TemporalSettings {
    if (target == null || !target.strip().matches("[A-Za-z0-9._\\[\\]:-]+:[0-9]{1,5}")) {
      throw new BadArgumentException("a Temporal service is host:port, got '" + target + "'");
    }
    target = target.strip();
    namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace.strip();
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new BadArgumentException("TLS needs both a client certificate and its key");
    }
  }

  public static TemporalSettings of(String target) {
    return new TemporalSettings(target, null, null, null, null);
  }

  public boolean tls() {
    return tlsCert != null || tlsCa != null;
  }

  public TemporalSettings withTarget(String t) {
    return new TemporalSettings(t, namespace, tlsCert, tlsKey, tlsCa);
  }
}
