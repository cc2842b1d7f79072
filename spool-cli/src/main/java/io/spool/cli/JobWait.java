package io.spool.cli;

import io.spool.engine.BatchHandle;
import io.spool.engine.JobHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobSpec;
import io.spool.engine.JobState;
import io.spool.engine.RunningJob;
import io.spool.engine.SpoolEngine;
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
    Thread painter = paint("spool-job-progress", () -> handle.progress().ifPresent(r -> bar.onProgress(progressOf(r))));
    try {
      return handle.result();
    } finally {
      stop(painter, bar);
    }
  }

  /**
   * Runs one job on {@code engine} and waits for it, with a bar labelled {@code label} on a
   * terminal.
   *
   * @return its outcome, once it succeeded
   * @throws JobFailure how it failed, otherwise
   */
  static JobOutcome run(SpoolEngine engine, JobSpec spec, String label, CommonOptions common, PrintWriter err) {
    JobOutcome o = withProgress(engine.spawn(spec), label, common, err);
    if (o.state() != JobState.SUCCEEDED) {
      throw JobFailure.of(o);
    }
    return o;
  }

  /** A volume reference as given; a local path made absolute, so the job does not depend on where it runs. */
  static String ref(SpoolEngine engine, String given) {
    return engine.isVolumeRef(given) ? given : java.nio.file.Path.of(given).toAbsolutePath().normalize().toString();
  }

  /** The file name at the end of a path or {@code VOLUME:path}. */
  static String fileName(String ref) {
    int volume = ref.startsWith("/") ? -1 : ref.indexOf(':');
    return ref.substring(Math.max(ref.lastIndexOf('/'), volume) + 1);
  }

  /**
   * Waits for every job of a batch, drawing one bar for all of them (jobs done, and the fractions
   * of those running); returns their outcomes in the batch's order.
   */
  static List<JobOutcome> batchWithProgress(BatchHandle handle, String label, CommonOptions common, PrintWriter err) {
    int total = handle.jobIds().size();
    AtomicInteger done = new AtomicInteger();
    ProgressBar bar = ProgressBar.forCommand(err, label, common);
    Thread painter = !common.showsProgress() ? null : paint("spool-batch-progress", () -> {
      double running = handle.running().stream().mapToDouble(r -> Math.max(0, r.fraction())).sum();
      bar.onProgress(new Progress(Math.min(1, (done.get() + running) / total), 0, 0, 0, 0, null, false));
    });
    Map<String, JobOutcome> byId = new HashMap<>();
    try {
      handle.asCompleted().forEach(o -> {
        byId.put(o.jobId(), o);
        done.incrementAndGet();
      });
    } finally {
      stop(painter, bar);
    }
    return handle.jobIds().stream().map(byId::get).toList();
  }

  /** A daemon thread that runs {@code once} every {@link #PROGRESS_POLL_MILLIS} until interrupted. */
  private static Thread paint(String name, Runnable once) {
    Thread painter = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          once.run();
          Thread.sleep(PROGRESS_POLL_MILLIS);
        }
      } catch (InterruptedException e) {
        // the work has ended
      }
    }, name);
    painter.setDaemon(true);
    painter.start();
    return painter;
  }

  /** Stops {@code painter} (if any) and ends its bar's line. */
  private static void stop(Thread painter, ProgressBar bar) {
    if (painter != null) {
      painter.interrupt();
      try {
        painter.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    bar.finish();
  }

  private static Progress progressOf(RunningJob r) {
    return new Progress(r.fraction(), 0, 0, 0, r.speed(), r.etaMillis() > 0 ? Duration.ofMillis(r.etaMillis()) : null, false);
  }
}
