package io.spool.media.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a live process's CPU time and memory from Linux's /proc. Used while ffmpeg runs, so that
 * a run that is killed (timeout, cancel, memory) is still metered, and to enforce memory limits.
 * A sample reads only {@code /proc/PID/stat}, a single line; the peak ({@code VmHWM}) is in the
 * longer {@code status} file and is read once, before a run is ended.
 */
public final class ProcStat {
  /** Linux reports CPU times in clock ticks of 1/100 s on every mainstream architecture. */
  private static final double TICKS_PER_SECOND = 100.0;
  /** The auxiliary vector's key for the page size (AT_PAGESZ). */
  private static final long AT_PAGESZ = 6;
  private static final long PAGE_SIZE = pageSize();

  private ProcStat() {}

  /** A reading; all zero when /proc is unavailable or the process has gone. */
  public record Sample(double userSeconds, double systemSeconds, long rssBytes) {
    public static final Sample NONE = new Sample(0, 0, 0);
  }

  public static Sample read(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the parenthesised command name, which may itself contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double user = Long.parseLong(f[11]) / TICKS_PER_SECOND;
      double sys = Long.parseLong(f[12]) / TICKS_PER_SECOND;
      return new Sample(user, sys, Long.parseLong(f[21]) * PAGE_SIZE);
    } catch (IOException | RuntimeException e) {
      return Sample.NONE;
    }
  }

  /**
   * When the process started, in clock ticks since the machine booted (never changes while the
   * process lives, unlike a start time on the wall clock); empty when it is gone or /proc cannot
   * be read. A pid and this together name one process, even after the pid is reused.
   */
  public static java.util.OptionalLong startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return java.util.OptionalLong.of(Long.parseLong(f[19]));
    } catch (IOException | RuntimeException e) {
      return java.util.OptionalLong.empty();
    }
  }

  /** The most resident memory the live process has held (VmHWM), or 0 when it cannot be read. */
  public static long peakRss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          String digits = line.replaceAll("[^0-9]", "");
          return digits.isEmpty() ? 0 : Long.parseLong(digits) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone already
    }
    return 0;
  }

  /** The memory page size, from this process's auxiliary vector; 4 KiB if it cannot be read. */
  private static long pageSize() {
    try {
      ByteBuffer aux = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv"))).order(ByteOrder.nativeOrder());
      while (aux.remaining() >= 16) {
        long key = aux.getLong();
        long value = aux.getLong();
        if (key == AT_PAGESZ && value > 0) {
          return value;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc hidden
    }
    return 4096;
  }
}
