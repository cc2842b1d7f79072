package io.spool.engine.internal;

import io.spool.engine.TemporalSettings;
import io.spool.media.EnvironmentException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;

/** A client of a Temporal service in another process, and the factory of this process's workers there. */
public record TemporalConnection(WorkflowServiceStubs service, WorkflowClient client, WorkerFactory factory)
    implements AutoCloseable {

  /** The most workflow threads a coordinator holds (each running batch chunk holds one). */
  public static final int WORKFLOW_THREADS = 600;

  /**
   * Connects lazily: nothing is sent until the first call, so that a process can start before the
   * service does (workers then retry until it answers).
   */
  public static TemporalConnection to(TemporalSettings s, String identity) {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
        .setTarget(s.target())
        .setRpcTimeout(Duration.ofSeconds(10));
    if (s.tls()) {
      try (InputStream cert = s.tlsCert() == null ? null : Files.newInputStream(s.tlsCert());
          InputStream key = s.tlsKey() == null ? null : Files.newInputStream(s.tlsKey())) {
        SimpleSslContextBuilder ssl = cert == null ? SimpleSslContextBuilder.noKeyOrCertChain()
            : SimpleSslContextBuilder.forPKCS8(cert, key);
        if (s.tlsCa() != null) {
          ssl.setTrustManager(trustManager(s));
        }
        options.setSslContext(ssl.build());
      } catch (IOException e) {
        throw new EnvironmentException("cannot read the Temporal TLS files: " + e.getMessage());
      }
    }
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(options.build());
    WorkflowClient client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
        .setNamespace(s.namespace()).setIdentity(identity).build());
    WorkerFactory factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
        .setMaxWorkflowThreadCount(WORKFLOW_THREADS).build());
    return new TemporalConnection(service, client, factory);
  }

  private static javax.net.ssl.TrustManager trustManager(TemporalSettings s) throws IOException {
    try (InputStream ca = Files.newInputStream(s.tlsCa())) {
      java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(ca)) {
        ks.setCertificateEntry("ca" + i++, c);
      }
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
          javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return tmf.getTrustManagers()[0];
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    factory.shutdownNow();
    service.shutdownNow();
  }

  /**
   * Closes once the workers' tasks in hand have been reported to the service, waiting at most
   * {@code wait}: an attempt that returned has not ended for Temporal until its result is sent,
   * and one lost with the connection would be run again after the heartbeat timeout.
   */
  public void close(Duration wait) {
    factory.shutdown();
    factory.awaitTermination(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    close();
  }
}
