package io.spool.engine.internal;

import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.NotSslRecordException;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.spool.engine.TemporalSettings;
import io.spool.media.EnvironmentException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A client of a Temporal service in another process, and the factory of this process's workers there. */
public record TemporalConnection(WorkflowServiceStubs service, WorkflowClient client, WorkerFactory factory,
    EventLoopGroup network) implements AutoCloseable {

  /** How long a check of the service ({@link #warmUp}) waits for each answer. */
  public static final Duration ANSWER_WAIT = Duration.ofSeconds(3);

  /** The most workflow threads a coordinator holds (each running batch chunk holds one). */
  public static final int WORKFLOW_THREADS = 600;

  /**
   * Connects lazily: nothing is sent until the first call, so that a process can start before the
   * service does (workers then retry until it answers).
   */
  public static TemporalConnection to(TemporalSettings s, String identity) {
    // The channel's network thread is this connection's own, not gRPC's shared one, so that close
    // can end it: gRPC lets its shared threads go a second after the last channel, and the JVM's
    // exit waits up to 300 ms for any thread still in a native call (netty's select is one).
    boolean epoll = Epoll.isAvailable(); // gRPC's own choice where it can, which its channel options expect
    DefaultThreadFactory threads = new DefaultThreadFactory("spool-grpc", true);
    EventLoopGroup network = epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
        .setTarget(s.target())
        .setRpcTimeout(Duration.ofSeconds(10))
        .setChannelInitializer(b -> ((NettyChannelBuilder) b).eventLoopGroup(network)
            .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class));
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
    return new TemporalConnection(service, client, factory, network);
  }

  /**
   * Opens the connection now, on a background thread, so that a command's first call does not
   * wait for it (a cold JVM spends a few hundred milliseconds there): a command starts this first
   * and prepares its jobs meanwhile. Returns what {@link #answers} said, with {@link #ANSWER_WAIT}
   * for a deadline.
   */
  public CompletableFuture<Boolean> warmUp() {
    CompletableFuture<Boolean> answered = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        boolean ok = answers(ANSWER_WAIT);
        answered.complete(ok);
        if (ok) {
          client.newUntypedWorkflowStub("spool-connect-" + ProcessHandle.current().pid()).describe(); // the client's own path
        }
      } catch (RuntimeException e) {
        answered.completeExceptionally(e); // nothing when it has answered: the first real call says what is wrong
      }
    }, "spool-connect");
    t.setDaemon(true);
    t.start();
    return answered;
  }

  /**
   * Asks the service once whether it answers, for this connection's namespace, each question
   * within {@code deadline}. The questions go straight to the service: Temporal's client, which
   * asks for the service's capabilities before its first call, holds every other call meanwhile,
   * and one held past its own deadline fails with a meaningless "invalid interval".
   *
   * @return false when nothing answers: nothing listens there, or it is too slow
   * @throws EnvironmentException when it answers but cannot serve this process: TLS fails, or it
   *     has no such namespace
   */
  public boolean answers(Duration deadline) {
    String target = service.getOptions().getTarget();
    if (service.getRawChannel().getState(false) == io.grpc.ConnectivityState.TRANSIENT_FAILURE) {
      service.getRawChannel().resetConnectBackoff(); // try now, not after gRPC's growing pause between tries
    }
    try {
      service.blockingStub().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      String tls = tlsFailure(e);
      if (tls != null) {
        throw new EnvironmentException("TLS with the Temporal service at " + target + " failed: " + tls);
      }
      return false;
    }
    String namespace = client.getOptions().getNamespace();
    try {
      service.blockingStub().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
      return true;
    } catch (StatusRuntimeException e) {
      return switch (e.getStatus().getCode()) {
        case NOT_FOUND -> throw new EnvironmentException("the Temporal service at " + target + " has no namespace '"
            + namespace + "' (create it, or name another as temporal.namespace in SPOOL_HOME/config.json)");
        case UNAVAILABLE, DEADLINE_EXCEEDED -> false;
        default -> true; // it answers; a service that does not let us read the namespace says more at the first call
      };
    }
  }

  /** What went wrong with TLS, where that is why a call failed; null otherwise. */
  private static String tlsFailure(StatusRuntimeException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException || t instanceof NotSslRecordException) {
        return t instanceof NotSslRecordException ? "it does not speak TLS there" : t.getMessage();
      }
    }
    return null;
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
    service.awaitTermination(1, TimeUnit.SECONDS);
    network.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(1000);
  }

  /**
   * Closes once the workers' tasks in hand have been reported to the service, waiting at most
   * {@code wait}: an attempt that returned has not ended for Temporal until its result is sent,
   * and one lost with the connection would be run again after the heartbeat timeout.
   */
  public void close(Duration wait) {
    factory.shutdown();
    factory.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    close();
  }
}
