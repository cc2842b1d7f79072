package io.spool.media;

/**
 * What one ffmpeg run used, measured from the process itself.
 *
 * @param wallSeconds elapsed time from start to exit
 * @param userSeconds CPU time in user mode, all threads
 * @param systemSeconds CPU time in the kernel, all threads
 * @param peakRssBytes the most resident memory the process held at once
 */
public record Metrics(double wallSeconds, double userSeconds, double systemSeconds, long peakRssBytes) {
  public static final Metrics ZERO = new Metrics(0, 0, 0, 0);

  public Metrics {
    if (wallSeconds < 0 || userSeconds < 0 || systemSeconds < 0 || peakRssBytes < 0) {
      throw new IllegalArgumentException("metrics must not be negative");
    }
  }

  public double cpuSeconds() {
    return userSeconds + systemSeconds;
  }

  /** Sum of CPU and wall times; peak memory is the larger of the two. */
  public Metrics plus(Metrics other) {
    return new Metrics(wallSeconds + other.wallSeconds, userSeconds + other.userSeconds,
        systemSeconds + other.systemSeconds, Math.max(peakRssBytes, other.peakRssBytes));
  }
}
