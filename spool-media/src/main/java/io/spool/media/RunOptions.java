package io.spool.media;

import java.time.Duration;

/**
 * How to run one ffmpeg process.
 *
 * @param timeout end the process tree after this long; null means no limit
 * @param expectedDurationSeconds media duration the output will have, for the progress fraction;
 *     0 when unknown
 * @param memoryLimitBytes end the process when its resident memory grows past this; 0 = no limit
 */
public record RunOptions(
    Duration timeout, double expectedDurationSeconds, long memoryLimitBytes, ProgressListener listener) {

  public static final RunOptions DEFAULT = new RunOptions(null, 0, 0, ProgressListener.NONE);

  public RunOptions {
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new BadArgumentException("timeout must be positive, got " + timeout);
    }
    if (expectedDurationSeconds < 0) {
      throw new BadArgumentException("expected duration must be >= 0, got " + expectedDurationSeconds);
    }
    if (memoryLimitBytes < 0) {
      throw new BadArgumentException("memory limit must be >= 0, got " + memoryLimitBytes);
    }
    listener = listener == null ? ProgressListener.NONE : listener;
  }

  public RunOptions withTimeout(Duration t) {
    return new RunOptions(t, expectedDurationSeconds, memoryLimitBytes, listener);
  }

  public RunOptions withExpectedDuration(double seconds) {
    return new RunOptions(timeout, seconds, memoryLimitBytes, listener);
  }

  public RunOptions withMemoryLimit(long bytes) {
    return new RunOptions(timeout, expectedDurationSeconds, bytes, listener);
  }

  public RunOptions withListener(ProgressListener l) {
    return new RunOptions(timeout, expectedDurationSeconds, memoryLimitBytes, l);
  }
}
