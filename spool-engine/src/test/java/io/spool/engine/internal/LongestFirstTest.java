package io.spool.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** How a batch is planned from its jobs' estimated work. */
class LongestFirstTest {
  private static int[] ones(int n) {
    int[] c = new int[n];
    Arrays.fill(c, 1);
    return c;
  }

  private static double[] same(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 10);
    return w;
  }

  private static double span(double[] work, LongestFirst.Plan p, int cores) {
    return LongestFirst.simulate(p.order(), work, p.cores(), cores, new double[work.length]);
  }

  @Test
  void equalJobsThatFillEveryWaveKeepTheirOrderAndOneCoreEach() {
    LongestFirst.Plan p = LongestFirst.plan(same(8), ones(8), 2, true);

    assertThat(p.order()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(p.cores()).containsOnly(1);
  }

  @Test
  void aLongJobListedLastRunsFirst() {
    double[] work = {10, 10, 10, 10, 10, 10, 40};
    LongestFirst.Plan p = LongestFirst.plan(work, ones(7), 2, true);

    assertThat(p.order()).containsExactly(6, 0, 1, 2, 3, 4, 5);
    // On two cores the short jobs fill the other core while it runs: nothing to widen.
    assertThat(p.cores()).containsOnly(1);
    double given = LongestFirst.simulate(new int[] {0, 1, 2, 3, 4, 5, 6}, work, ones(7), 2, new double[7]);
    assertThat(given).isEqualTo(70);
    assertThat(span(work, p, 2)).isEqualTo(50);
  }

  @Test
  void aJobThatWouldRunOnAloneGetsTheIdleCores() {
    double[] work = {100, 10};
    LongestFirst.Plan p = LongestFirst.plan(work, ones(2), 2, true);

    assertThat(p.order()).containsExactly(0, 1);
    assertThat(p.cores()[0]).isEqualTo(2);
    assertThat(span(work, p, 2)).as("55 + 5.5 against 100 on one core").isLessThan(61);
  }

  @Test
  void theLastWaveOfEqualJobsSharesTheCoresTheOthersLeave() {
    // 11 jobs on 8 cores: 8 run at once, then 3 would run on one core each beside 5 idle ones.
    LongestFirst.Plan p = LongestFirst.plan(same(11), ones(11), 8, true);

    assertThat(Arrays.copyOfRange(p.cores(), 0, 8)).containsOnly(1);
    assertThat(Arrays.stream(p.cores(), 8, 11).sum()).isBetween(6, 8);
    assertThat(span(same(11), p, 8)).isLessThan(LongestFirst.simulate(p.order(), same(11), ones(11), 8, new double[11]));
  }

  @Test
  void withoutWideningTheCoresAreAsAsked() {
    LongestFirst.Plan p = LongestFirst.plan(new double[] {1, 100}, new int[] {3, 3}, 8, false);

    assertThat(p.order()).containsExactly(1, 0);
    assertThat(p.cores()).containsExactly(3, 3);
  }

  @Test
  void aJobStartsWhenItsCoresAreFreeAndNotBeforeTheOneAheadOfIt() {
    // Job 0 holds one of two cores for 10; job 1 needs both, so waits; job 2 (one core) queues
    // behind it although a core is free.
    double[] end = new double[3];
    double span = LongestFirst.simulate(new int[] {0, 1, 2}, new double[] {10, 10, 1}, new int[] {1, 2, 1}, 2, end);

    assertThat(end[0]).isEqualTo(10);
    assertThat(end[1]).isCloseTo(10 + 10 * (LongestFirst.SERIAL + (1 - LongestFirst.SERIAL) / 2), offset(1e-9));
    assertThat(end[2]).isGreaterThan(10);
    assertThat(span).isEqualTo(Math.max(end[1], end[2]));
  }

  @Test
  void jobsOfUnknownWorkGoFirstAndNothingIsWidened() {
    double inf = Double.POSITIVE_INFINITY;
    LongestFirst.Plan p = LongestFirst.plan(new double[] {1, inf, 100, inf}, ones(4), 2, true);

    assertThat(p.order()).containsExactly(1, 3, 2, 0);
    assertThat(p.cores()).containsOnly(1);
  }
}
