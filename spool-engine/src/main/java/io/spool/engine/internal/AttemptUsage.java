package io.spool.engine.internal;

import io.spool.media.Metrics;
import io.spool.media.UsageMeter;

/**
 * What a job's attempts have used: the earlier attempts' total, as the last heartbeat handed it
 * on, plus every process this attempt runs (its job context's tools report to {@link #meter()})
 * and its wall time from the moment it has its cores.
 */
final class AttemptUsage {
  private final Metrics before;
  private final UsageMeter meter = UsageMeter.create();
  private volatile long startNanos;

  AttemptUsage(Metrics before) {
    this.before = before;
  }

  UsageMeter meter() {
    return meter;
  }

  /** The attempt has its cores: its wall time counts from now. */
  void start() {
    startNanos = System.nanoTime();
  }

  /** Everything used so far; {@code reported} is what the job type itself said it used, if anything. */
  Metrics total(Metrics reported) {
    double wall = startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1e9;
    Metrics mine = meter.total(wall);
    return before.plus(new Metrics(
        Math.max(wall, reported.wallSeconds()),
        Math.max(mine.userSeconds(), reported.userSeconds()),
        Math.max(mine.systemSeconds(), reported.systemSeconds()),
        Math.max(mine.peakRssBytes(), reported.peakRssBytes())));
  }
}
