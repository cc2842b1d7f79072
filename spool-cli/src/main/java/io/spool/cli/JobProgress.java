package io.spool.cli;

import io.spool.engine.JobHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobSpec;
import io.spool.engine.JobState;
import io.spool.engine.RunningJob;
import io.spool.engine.SpoolEngine;
import io.spool.media.Progress;
import java.io.PrintWriter;
import java.time.Duration;

/** Waits for one job, drawing its heartbeat progress as a bar on a terminal. */
final class JobProgress {
  private static final long POLL_MILLIS = 250;

  private JobProgress() {}

  /** The job's outcome, once it has ended; a bar labelled {@code label} meanwhile where progress is shown. */
  static JobOutcome await(JobHandle handle, String label, CommonOptions common, PrintWriter err) {
    if (!common.showsProgress()) {
      return handle.result();
    }
    ProgressBar bar = ProgressBar.forCommand(err, label, common);
    Thread painter = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          handle.progress().ifPresent(r -> bar.onProgress(progressOf(r)));
          Thread.sleep(POLL_MILLIS);
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

  /**
   * Runs one job on {@code engine} and waits for it, with a bar labelled {@code label} on a
   * terminal.
   *
   * @return its outcome, once it succeeded
   * @throws JobFailure how it failed, otherwise
   */
  static JobOutcome run(SpoolEngine engine, JobSpec spec, String label, CommonOptions common, PrintWriter err) {
    JobOutcome o = await(engine.spawn(spec), label, common, err);
    if (o.state() != JobState.SUCCEEDED) {
      throw JobFailure.of(o);
    }
    return o;
  }

  /** A volume reference as given; a local path made absolute, so the job does not depend on where it runs. */
  static String ref(SpoolEngine engine, String given) {
    return engine.isVolumeRef(given) ? given : java.nio.file.Path.of(given).toAbsolutePath().toString();
  }

  /** The file name at the end of a path or {@code VOLUME:path}. */
  static String fileName(String ref) {
    return ref.substring(ref.lastIndexOf('/') + 1);
  }
}
