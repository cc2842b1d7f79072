package io.spool.cli;

import io.spool.engine.BatchHandle;
import io.spool.engine.JobHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.RunningJob;
import io.spool.media.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Waits for one job, drawing its heartbeat progress on a terminal: what single-job commands share. */
final class JobWait {
  private static final long PROGRESS_POLL_MILLIS = 250;

  private JobWait() {}

  static JobOutcome withProgress(JobHandle handle, String label, CommonOptions common, PrintWriter err) {
    if (!common.showsProgress()) {
      return handle.result();
    }
    ProgressBar bar = ProgressBar.forCommand(err, label, common);
    Thread painter = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          handle.progress().ifPresent(r -> bar.onProgress(progressOf(r)));
          Thread.sleep(PROGRESS_POLL_MILLIS);
        }
      } catch (InterruptedException e) {
        // the job has ended
      }
    }, "spool-job-progress");
    painter.setDaemon(true);
    painter.start();
    try {
      return handle.result();
    } finally {
      painter.interrupt();
      try {
        painter.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      bar.finish();
    }
  }

  /**
   * Waits for every job of a batch, drawing one bar for all of them (jobs done, and the fractions
   * of those running); returns their outcomes in the batch's order.
   */
  static List<JobOutcome> batchWithProgress(BatchHandle handle, String label, CommonOptions common, PrintWriter err) {
    int total = handle.jobIds().size();
    AtomicInteger done = new AtomicInteger();
    ProgressBar bar = ProgressBar.forCommand(err, label, common);
    Thread painter = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          double running = handle.running().stream().mapToDouble(r -> Math.max(0, r.fraction())).sum();
          bar.onProgress(new Progress(Math.min(1, (done.get() + running) / total), 0, 0, 0, 0, null, false));
          Thread.sleep(PROGRESS_POLL_MILLIS);
        }
      } catch (InterruptedException e) {
        // the batch has ended
      }
    }, "spool-batch-progress");
    painter.setDaemon(true);
    if (common.showsProgress()) {
      painter.start();
    }
    Map<String, JobOutcome> byId = new HashMap<>();
    try {
      handle.asCompleted().forEach(o -> {
        byId.put(o.jobId(), o);
        done.incrementAndGet();
      });
    } finally {
      painter.interrupt();
      try {
        painter.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      bar.finish();
    }
    return handle.jobIds().stream().map(byId::get).toList();
  }

  private static Progress progressOf(RunningJob r) {
    return new Progress(r.fraction(), 0, 0, 0, r.speed(), r.etaMillis() > 0 ? Duration.ofMillis(r.etaMillis()) : null, false);
  }
}
