package io.spool.cli;

import io.spool.engine.JobOutcome;
import io.spool.engine.JobState;
import io.spool.engine.ResultsManifest;
import io.spool.engine.RunningJob;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Terminal progress of a batch: one overall bar (items done, failures, ETA) and a line per
 * running job, redrawn in place twice a second. Silent when not on a terminal, with --quiet or
 * --json.
 */
final class BatchProgress {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final BatchRun run;
  private final int total;
  private final AtomicInteger done;
  private final AtomicInteger failed = new AtomicInteger();
  /** The estimated work of the jobs that ended. */
  private final DoubleAdder doneWork = new DoubleAdder();
  private final long startNanos = System.nanoTime();
  private final int skipped;
  private Thread painter;
  private int drawnLines;

  private BatchProgress(PrintWriter err, BatchRun run, int total, int skipped) {
    this.err = err;
    this.run = run;
    this.total = total;
    this.skipped = skipped;
    this.done = new AtomicInteger(skipped);
  }

  /**
   * Runs a batch to its end with progress on the terminal; returns the manifest lines: the items
   * skipped as done before, then each finished item in the order it finished.
   */
  static List<ResultsManifest.Line> drain(PrintWriter err, BatchRun run, int total, CommonOptions common) {
    List<ResultsManifest.Line> lines = new ArrayList<>(run.skipped());
    BatchProgress p = new BatchProgress(err, run, total, run.skipped().size());
    if (common.showsProgress() && run.handle() != null) {
      p.painter = new Thread(p::paintLoop, "spool-batch-progress");
      p.painter.setDaemon(true);
      p.painter.start();
    }
    try {
      run.drain(o -> {
        lines.add(ResultsManifest.Line.of(o));
        p.finished(o);
      });
    } finally {
      p.stop();
    }
    return lines;
  }

  private void finished(JobOutcome o) {
    doneWork.add(run.workOf(o.jobId()).orElse(0));
    done.incrementAndGet();
    if (o.state() != JobState.SUCCEEDED) {
      failed.incrementAndGet();
    }
  }

  private void stop() {
    if (painter != null) {
      painter.interrupt();
      try {
        painter.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        clear();
      }
    }
  }

  private void paintLoop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        List<String> lines = lines(run.handle().running());
        synchronized (this) {
          clear();
          lines.forEach(err::println);
          err.flush();
          drawnLines = lines.size();
        }
        Thread.sleep(500);
      }
    } catch (InterruptedException e) {
      // stopped
    }
  }

  private void clear() {
    for (int i = 0; i < drawnLines; i++) {
      err.print("\033[1A\033[2K");
    }
    err.flush();
    drawnLines = 0;
  }

  /**
   * The time left when {@code done} of {@code total} took {@code elapsed} seconds: by the
   * estimated work of the jobs (finished ones, and the part of each running one that its progress
   * says is done) where every input's headers told it, else by items, which misleads when they
   * differ in length (the longest start first). None before 2% is done: until then the start-up
   * weighs too much.
   */
  static OptionalDouble secondsLeft(double elapsed, double done, double total) {
    return done > 0 && done >= 0.02 * total ? OptionalDouble.of(elapsed * Math.max(0, total - done) / done) : OptionalDouble.empty();
  }

  List<String> lines(List<RunningJob> running) {
    List<String> out = new ArrayList<>();
    int d = done.get();
    double frac = total == 0 ? 1 : (double) d / total;
    int filled = (int) Math.round(frac * WIDTH);
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    OptionalDouble left = run.totalWork().isPresent()
        ? secondsLeft(elapsed, doneWork.sum() + running.stream()
            .mapToDouble(r -> Math.max(0, r.fraction()) * run.workOf(r.jobId()).orElse(0)).sum(), run.totalWork().getAsDouble())
        : secondsLeft(elapsed, d - skipped, total - skipped);
    String eta = left.isPresent() ? "  ETA " + Units.seconds(left.getAsDouble()) : "";
    out.add(String.format(Locale.ROOT, "[%s%s] %d/%d done%s%s", "#".repeat(filled), "-".repeat(WIDTH - filled), d, total,
        failed.get() > 0 ? ", " + failed.get() + " failed" : "", eta));
    for (RunningJob r : running) {
      String input = run.inputOf(r.jobId());
      String name = input == null ? r.jobId() : BatchReport.name(input);
      out.add(String.format(Locale.ROOT, "  %-32.32s %3.0f%%  %.2fx%s", name, Math.max(0, r.fraction()) * 100, r.speed(),
          r.attempt() > 1 ? "  attempt " + r.attempt() : ""));
    }
    return out;
  }
}
