package io.spool.media;

/** Receives progress from a running job. Called from a background thread; keep it quick. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = p -> {};

  void onProgress(Progress progress);

  /**
   * This listener for one stage of a longer job, which spans {@code from} to {@code to} (0..1) of
   * the whole: the stage's fractions are mapped into that span, and only a stage that ends the
   * job reports being done.
   */
  default ProgressListener within(double from, double to) {
    if (!(from >= 0 && from <= to && to <= 1)) {
      throw new IllegalArgumentException("a stage spans 0 <= from <= to <= 1, got " + from + ".." + to);
    }
    return p -> onProgress(new Progress(p.fraction() < 0 ? -1 : from + (to - from) * p.fraction(), p.outTimeSeconds(),
        p.frame(), p.fps(), p.speed(), p.eta(), p.done() && to >= 1));
  }
}
