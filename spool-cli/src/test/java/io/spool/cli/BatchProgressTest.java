package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BatchProgressTest {
  @Test
  void timeLeftFollowsTheWorkDoneNotTheItems() {
    // A 40 s clip half done beside six of 10 s, three of them done, after 10 s: half the work is
    // done, so about 10 s are left, though only 3 of 7 items are.
    double work = 3 * 10 + 0.5 * 40;

    assertThat(BatchProgress.secondsLeft(10, work, 100).getAsDouble()).isCloseTo(10, within(1e-9));
    assertThat(BatchProgress.secondsLeft(10, 3, 7).getAsDouble()).isCloseTo(13.33, within(0.01));
  }

  @Test
  void noTimeLeftIsGivenBeforeAFewPercentAreDone() {
    assertThat(BatchProgress.secondsLeft(2, 0, 100)).isEmpty();
    assertThat(BatchProgress.secondsLeft(2, 1, 100)).as("the start-up would weigh too much").isEmpty();
    assertThat(BatchProgress.secondsLeft(5, 100, 100).getAsDouble()).isZero();
  }
}
