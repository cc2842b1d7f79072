package io.spool.http.internal;

import io.spool.engine.BatchHandle;
import io.spool.engine.JobRecord;
import io.spool.engine.JobStore;
import io.spool.engine.RunningJob;
import io.spool.engine.SpoolEngine;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the batches this server submitted until each of their jobs has ended, reading the job
 * store (which every process writes, whoever runs the jobs): each job that ends gives its place in
 * the {@link Admission} back and is counted in the metrics, and a batch whose jobs have all ended is let go, so that nothing of
 * it stays in memory. Until then its handle answers progress questions without a new one each time.
 */
final class JobFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobFollower.class);
  private static final long POLL_MILLIS = 250;

  private final SpoolEngine engine;
  private final Admission admission;
  private final java.util.function.Consumer<JobRecord> onEnded;
  private final Map<String, Followed> batches = new ConcurrentHashMap<>();
  private final Thread thread;

  /** A batch being followed: its handle, how many of its jobs there are, how many have ended, and where its feed was left. */
  private static final class Followed {
    final BatchHandle handle;
    final int jobs;
    int ended;
    long cursor;

    Followed(BatchHandle handle) {
      this.handle = handle;
      this.jobs = handle.jobIds().size();
    }
  }

  /** Follows batches on {@code engine}, telling {@code onEnded} of each of their jobs as it ends. */
  JobFollower(SpoolEngine engine, Admission admission, java.util.function.Consumer<JobRecord> onEnded) {
    this.engine = engine;
    this.admission = admission;
    this.onEnded = onEnded;
    this.thread = new Thread(this::run, "spool-http-follower");
    thread.setDaemon(true);
    thread.start();
  }

  /** Follows a batch whose jobs each hold a place in the admission. */
  void follow(BatchHandle handle) {
    batches.put(handle.id(), new Followed(handle));
  }

  /** How many batches are followed now. */
  int size() {
    return batches.size();
  }

  /** The progress of a running job, as its latest heartbeat tells. */
  Optional<RunningJob> progress(String batchId, String jobId) {
    Followed f = batches.get(batchId);
    BatchHandle h;
    if (f != null) {
      h = f.handle;
    } else {
      try {
        h = engine.attach(batchId);
      } catch (RuntimeException e) {
        return Optional.empty();
      }
      h.detach(); // asked once, not followed
    }
    try {
      return h.running().stream().filter(r -> r.jobId().equals(jobId)).findFirst();
    } catch (RuntimeException e) {
      return Optional.empty(); // the service is away: no progress to tell
    }
  }

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(POLL_MILLIS);
        if (!batches.isEmpty()) {
          try {
            poll();
          } catch (RuntimeException ex) {
            LOG.debug("followed batches not read this time", ex);
          }
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  /** Reads the jobs of every followed batch that ended since the last round, in one read of the store. */
  private void poll() {
    Map<String, Long> cursors = new java.util.HashMap<>();
    batches.forEach((id, f) -> cursors.put(id, f.cursor));
    Map<String, JobStore.Ended> ended = engine.store().endedSince(cursors);
    for (Map.Entry<String, Long> c : cursors.entrySet()) {
      Followed f = batches.get(c.getKey());
      JobStore.Ended e = ended.get(c.getKey());
      if (f == null) {
        continue;
      }
      if (e != null) {
        f.cursor = e.cursor();
        f.ended += e.jobs().size();
        e.jobs().forEach(onEnded); // counted before its place is given back, so that both show together
        admission.release(e.jobs().size());
      }
      if (f.ended >= f.jobs) {
        f.handle.detach();
        batches.remove(c.getKey());
      }
    }
  }

  /**
   * Stops following. On an embedded engine, batches still running keep their handles attached, so
   * that their jobs are recorded as cancelled when the process exits. On a shared service the jobs
   * are the service's: their handles let go, so that the jobs go on without this server (whose
   * exit would otherwise cancel them) and the next server on the job store reports them and sends
   * their webhooks.
   */
  @Override
  public void close() {
    thread.interrupt();
    if (!engine.embedded()) {
      batches.values().forEach(f -> f.handle.detach());
      batches.clear();
    }
  }
}
