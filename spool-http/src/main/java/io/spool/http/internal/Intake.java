package io.spool.http.internal;

import io.spool.engine.BatchHandle;
import io.spool.engine.PreparedBatch;
import io.spool.engine.SpoolEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where submitted batches are taken in. A request waits only until its batch's records are
 * written, which one thread does for every batch waiting at that moment in one transaction (as a
 * database commits a group), and is answered then; their workflows start afterwards, off the
 * requests' threads. Were this process to end between the two, the records are enough: the
 * coordinator's sweep starts a recorded batch whose workflow the service does not know (and,
 * embedded, the exit records its jobs as interrupted), so an accepted job is never lost unseen.
 * A workflow that the service does not take fails its jobs with the reason, as their records and
 * webhooks then tell.
 */
final class Intake implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
  /** The most batches written in one transaction. */
  private static final int MAX_GROUP = 256;
  /** Workflows started side by side. */
  private static final int STARTERS = 2;
  /** How long closing waits for workflows still to start. */
  private static final long CLOSE_WAIT_SECONDS = 30;

  private record Waiting(PreparedBatch batch, CompletableFuture<BatchHandle> recorded) {}

  private final SpoolEngine engine;
  private final LinkedBlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
  private final Thread recorder;
  private final ExecutorService starters;
  private volatile boolean closed; // set under this, with the queue's last additions

  Intake(SpoolEngine engine) {
    this.engine = engine;
    this.starters = Executors.newFixedThreadPool(STARTERS, r -> {
      Thread t = new Thread(r, "spool-http-starter");
      t.setDaemon(true);
      return t;
    });
    this.recorder = new Thread(this::run, "spool-http-intake");
    recorder.setDaemon(true);
    recorder.start();
  }

  /** Writes the batch's records (with those of others waiting) and returns its handle; its workflow starts soon after. */
  BatchHandle submit(PreparedBatch batch) {
    Waiting w = new Waiting(batch, new CompletableFuture<>());
    synchronized (this) {
      if (closed) {
        throw new io.spool.media.EnvironmentException("the server is stopping; submit again once it is back");
      }
      queue.add(w);
    }
    // Waited for whatever interrupts it: the batch is in the queue and will be recorded (within a
    // transaction's time), and a request told it failed must not have made a job that runs.
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return w.recorded().get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    List<Waiting> group = new ArrayList<>();
    while (true) {
      Waiting first;
      try {
        first = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        first = null;
      }
      if (first == null) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      group.add(first);
      queue.drainTo(group, MAX_GROUP - 1);
      try {
        record(group);
      } catch (Throwable t) {
        // Whatever went wrong, no request is left waiting.
        group.forEach(w -> w.recorded().completeExceptionally(t));
        LOG.error("submissions not recorded", t);
      }
      group.clear();
    }
  }

  private void record(List<Waiting> group) {
    List<BatchHandle> handles;
    try {
      handles = engine.record(group.stream().map(Waiting::batch).toList());
    } catch (RuntimeException e) {
      group.forEach(w -> w.recorded().completeExceptionally(e));
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      PreparedBatch b = group.get(i).batch();
      group.get(i).recorded().complete(handles.get(i));
      try {
        starters.execute(() -> start(b));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        start(b); // closing: started here rather than not at all
      }
    }
  }

  private void start(PreparedBatch b) {
    try {
      engine.start(b);
    } catch (RuntimeException e) {
      LOG.warn("batch {} not started: {}", b.id(), e.getMessage());
    }
  }

  /** Takes no more; records what waits, then waits a while for the workflows still to start. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true; // nothing is added after this: the recorder ends once the queue is empty
    }
    try {
      recorder.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
      starters.shutdown();
      if (!starters.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("workflows of accepted jobs still starting after {} s; the coordinator starts what is left", CLOSE_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
