package io.spool.media.internal;

import java.util.OptionalLong;

/**
 * A process named so that a process of this host can tell later whether it still runs: its pid and
 * when it started ({@code PID-START}, START in clock ticks since boot, 0 where /proc does not
 * say), since a pid alone is given again to later processes. Temporary output files and job
 * scratch folders carry the mark of the process that made them, so that what a killed process
 * left can be told from what a live one uses.
 */
public final class ProcessMark {
  private static final String SELF = of(ProcessHandle.current().pid());

  private ProcessMark() {}

  /** This process's mark. */
  public static String self() {
    return SELF;
  }

  static String of(long pid) {
    return pid + "-" + ProcStat.startTicks(pid).orElse(0);
  }

  /**
   * Whether the process a mark names ({@code pid} and {@code start} as written; a null pid: a
   * name without a mark) is running now.
   */
  public static boolean runs(String pid, String start) {
    if (pid == null) {
      return false;
    }
    long p;
    long named;
    try {
      p = Long.parseLong(pid);
      named = Long.parseLong(start);
    } catch (NumberFormatException e) {
      return false;
    }
    if (ProcessHandle.of(p).filter(ProcessHandle::isAlive).isEmpty()) {
      return false;
    }
    OptionalLong started = ProcStat.startTicks(p);
    // Where /proc does not say when a process started (then or now), a live pid counts.
    return named == 0 || started.isEmpty() || started.getAsLong() == named;
  }
}
