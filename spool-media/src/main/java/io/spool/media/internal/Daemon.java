package io.spool.media.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Daemon threads for pumping process streams, so that they never keep the JVM alive. */
final class Daemon {
  static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "spool-process-io");
    t.setDaemon(true);
    return t;
  });

  private Daemon() {}
}
