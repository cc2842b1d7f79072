package io.spool.engine.internal;

import io.spool.engine.JobStore;
import io.spool.engine.WorkerRecord;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media worker's record in the job store, kept fresh while it runs: written at once, its last
 * sighting refreshed every {@link WorkerRecord#REFRESH} (and the record written again should the
 * store have lost it), and marked stopped by {@link #close}. A store that fails now and then
 * costs a sighting, never the worker.
 */
public final class WorkerPresence implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPresence.class);

  private final JobStore store;
  private final WorkerRecord self;
  private final ScheduledExecutorService timer;
  private boolean closed; // guarded by this

  private WorkerPresence(JobStore store, WorkerRecord self) {
    this.store = store;
    this.self = self;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spool-worker-presence");
      t.setDaemon(true);
      return t;
    });
  }

  /** Records {@code self} in {@code store} and keeps its last sighting fresh until closed. */
  public static WorkerPresence start(JobStore store, WorkerRecord self) {
    WorkerPresence p = new WorkerPresence(store, self);
    p.timer.execute(p::refresh);
    long every = WorkerRecord.REFRESH.toMillis();
    p.timer.scheduleWithFixedDelay(p::refresh, every, every, TimeUnit.MILLISECONDS);
    return p;
  }

  private void refresh() {
    Instant now = Instant.now();
    try {
      if (!store.workerSeen(self.id(), now)) {
        store.putWorker(new WorkerRecord(self.id(), self.host(), self.pid(), self.queues(), self.cpu(), self.memoryMiB(),
            self.gpuEncode(), self.startedAt(), now, null));
      }
    } catch (RuntimeException e) {
      LOG.debug("worker {} not recorded as seen this time", self.id(), e);
    }
  }

  /** Stops refreshing and records the worker as stopped; later calls do nothing. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      store.workerStopped(self.id(), Instant.now());
    } catch (RuntimeException e) {
      LOG.warn("worker {} could not be recorded as stopped in the job store: {}", self.id(), e.getMessage());
    }
  }
}
