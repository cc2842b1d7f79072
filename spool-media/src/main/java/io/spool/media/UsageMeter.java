package io.spool.media;

/**
 * Adds up what the processes of one piece of work used (a job attempt, one transcode): their CPU
 * time from the kernel's own accounting of each finished process, and the largest peak memory of
 * any of them. Every process Spool starts through a {@link Toolchain} reports to that toolchain's
 * meter ({@link Toolchain#metered}). Thread-safe.
 */
public final class UsageMeter {
  /** A meter that keeps nothing, for tools whose use nobody pays for. */
  public static final UsageMeter NONE = new UsageMeter(null, false);

  private final UsageMeter parent;
  private final boolean keeps;
  private double userSeconds;
  private double systemSeconds;
  private long peakRssBytes;
  private int processes;

  private UsageMeter(UsageMeter parent, boolean keeps) {
    this.parent = parent;
    this.keeps = keeps;
  }

  /** A new, empty meter. */
  public static UsageMeter create() {
    return new UsageMeter(null, true);
  }

  /** A meter of part of this one's work: what it records is recorded here too. */
  public UsageMeter child() {
    return new UsageMeter(this, true);
  }

  /** Records one finished (or ended) process. */
  public void add(Metrics used) {
    if (keeps) {
      synchronized (this) {
        userSeconds += used.userSeconds();
        systemSeconds += used.systemSeconds();
        peakRssBytes = Math.max(peakRssBytes, used.peakRssBytes());
        processes++;
      }
    }
    if (parent != null) {
      parent.add(used);
    }
  }

  /** How many processes were recorded. */
  public synchronized int processes() {
    return processes;
  }

  /** The CPU time and peak memory recorded, with the given wall time. */
  public synchronized Metrics total(double wallSeconds) {
    return new Metrics(Math.max(0, wallSeconds), userSeconds, systemSeconds, peakRssBytes);
  }
}
