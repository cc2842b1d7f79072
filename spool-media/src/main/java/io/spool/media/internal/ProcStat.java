package io.spool.media.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a live process's CPU time and memory from Linux's /proc. Used while ffmpeg runs, so that
 * a run that is killed (timeout, cancel, memory) is still metered, and to enforce memory limits.
 */
public final class ProcStat {
  /** Linux reports CPU times in clock ticks of 1/100 s on every mainstream architecture. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStat() {}

  /** A reading; all zero when /proc is unavailable or the process has gone. */
  public record Sample(double userSeconds, double systemSeconds, long rssBytes, long peakRssBytes) {
    public static final Sample NONE = new Sample(0, 0, 0, 0);
  }

  public static Sample read(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the parenthesised command name, which may itself contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double user = Long.parseLong(f[11]) / TICKS_PER_SECOND;
      double sys = Long.parseLong(f[12]) / TICKS_PER_SECOND;
      long rss = 0;
      long hwm = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kib(line);
        }
      }
      return new Sample(user, sys, rss, Math.max(hwm, rss));
    } catch (IOException | RuntimeException e) {
      return Sample.NONE;
    }
  }

  private static long kib(String line) {
    String digits = line.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? 0 : Long.parseLong(digits) * 1024;
  }
}
