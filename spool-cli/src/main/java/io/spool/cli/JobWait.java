package io.spool.cli;

import io.spool.engine.JobHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.RunningJob;
import io.spool.media.Progress;
import java.io.PrintWriter;
import java.time.Duration;

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

  private static Progress progressOf(RunningJob r) {
    return new Progress(r.fraction(), 0, 0, 0, r.speed(), r.etaMillis() > 0 ? Duration.ofMillis(r.etaMillis()) : null, false);
  }
}
