package io.spool.engine.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Plans a batch from what each job's work is estimated to be: the longest jobs run first, so that
 * a long one listed last does not run alone at the end, and, where the cores are Spool's to share
 * out, a job that would still run on while cores idle gets more of them. Jobs start in the plan's
 * order, each once its cores are free (the worker hands out cores first come, first served), and
 * the plan is what a simulation of that finds quickest.
 */
public final class LongestFirst {
  /**
   * The share of a job's time that more threads do not shorten (Amdahl), as measured for x264 on a
   * 2-core host (bench/README.md).
   */
  static final double SERIAL = 0.1;
  /**
   * Beyond this many jobs a batch is long enough for its last jobs not to matter much, and reading
   * every input's headers before the first job starts would cost more than planning saves.
   */
  public static final int MAX_PLANNED_BATCH = 1000;

  /**
   * The order to run jobs in (indexes into {@code work}) and each job's cores (by the job's index).
   */
  public record Plan(int[] order, int[] cores) {}

  private LongestFirst() {}

  /**
   * Plans jobs of the given work (any unit, relative) that ask for the given cores on
   * {@code machineCores}: longest first (jobs of equal work keep their order) and, with
   * {@code widen}, more cores for the jobs that would end last where that ends the batch sooner.
   * A job whose work is not known ({@link Double#POSITIVE_INFINITY}) goes first, since it may be
   * the longest, and then no job is widened.
   */
  public static Plan plan(double[] work, int[] cores, int machineCores, boolean widen) {
    int n = work.length;
    int[] order = IntStream.range(0, n).boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> -work[i]).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
    int[] planned = cores.clone();
    boolean known = Arrays.stream(work).allMatch(Double::isFinite);
    if (widen && known && n > 0 && n <= MAX_PLANNED_BATCH && machineCores > 1) {
      widen(order, work, planned, machineCores);
    }
    return new Plan(order, planned);
  }

  /**
   * Gives the job that ends last one more core while that does not end the batch later; keeps the
   * cores of the last plan that ended it sooner than the one before (equal steps only lead on to
   * where several jobs that end together all have more).
   */
  private static void widen(int[] order, double[] work, int[] cores, int machineCores) {
    double[] end = new double[work.length];
    double best = simulate(order, work, cores, machineCores, end);
    int[] kept = cores.clone();
    int steps = 2 * machineCores + 16;
    for (int step = 0; step < steps; step++) {
      int last = lastToEnd(order, end);
      if (cores[last] >= machineCores) {
        break;
      }
      cores[last]++;
      double span = simulate(order, work, cores, machineCores, end);
      if (span > best * (1 + 1e-9)) {
        break;
      }
      if (span < best * (1 - 1e-6)) {
        System.arraycopy(cores, 0, kept, 0, cores.length);
      }
      best = Math.min(best, span);
    }
    System.arraycopy(kept, 0, cores, 0, cores.length);
  }

  private static int lastToEnd(int[] order, double[] end) {
    int last = order[0];
    for (int i : order) {
      if (end[i] >= end[last]) {
        last = i;
      }
    }
    return last;
  }

  /**
   * When the batch ends if jobs start in {@code order}, each once its cores are free and not
   * before the one ahead of it, and a job of work w on c cores takes w x (SERIAL + (1 - SERIAL) / c).
   * Fills {@code end} with each job's end.
   */
  static double simulate(int[] order, double[] work, int[] cores, int machineCores, double[] end) {
    double[] free = new double[machineCores]; // when each core is free, ascending
    double[] merged = new double[machineCores];
    double notBefore = 0;
    double span = 0;
    for (int i : order) {
      int c = Math.min(cores[i], machineCores);
      double start = Math.max(notBefore, free[c - 1]);
      double finish = start + work[i] * (SERIAL + (1 - SERIAL) / c);
      end[i] = finish;
      notBefore = start;
      span = Math.max(span, finish);
      // The c earliest-free cores now free at `finish`; the rest stay sorted.
      int a = c;
      int k = 0;
      int taken = 0;
      while (k < machineCores) {
        if (taken < c && (a >= machineCores || finish <= free[a])) {
          merged[k++] = finish;
          taken++;
        } else {
          merged[k++] = Math.max(free[a++], start);
        }
      }
      double[] t = free;
      free = merged;
      merged = t;
    }
    return span;
  }
}
