package io.spool.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The order the gate keeps between a cancel and the end of the job it targets. */
class CancelGateTest {
  private final CancelGate gate = new CancelGate();

  private static final class Attempt implements CancelGate.Attempt {
    private final String batchId;
    final AtomicInteger stops = new AtomicInteger();

    Attempt(String batchId) {
      this.batchId = batchId;
    }

    @Override
    public String batchId() {
      return batchId;
    }

    @Override
    public int number() {
      return 1;
    }

    @Override
    public void stop() {
      stops.incrementAndGet();
    }
  }

  @Test
  void aCancelStopsTheRunningAttemptAndHoldsBackItsOutcome() {
    Attempt a = new Attempt("b1");
    assertThat(gate.begin("j1", a)).isTrue();

    assertThat(gate.cancel("j1")).isTrue();

    assertThat(a.stops).hasValue(1);
    assertThat(gate.end("j1", "b1", true)).as("must wait for Temporal's cancel").isFalse();
    assertThat(gate.begin("j1", new Attempt("b1"))).as("a later attempt does not start").isFalse();
  }

  @Test
  void aJobHandingInItsOutcomeIsNotCancelledUntilItIsRecorded() {
    Attempt a = new Attempt("b1");
    gate.begin("j1", a);
    assertThat(gate.end("j1", "b1", true)).isTrue();

    assertThat(gate.cancel("j1")).isFalse();
    assertThat(gate.cancelBatch("b1")).containsExactly("j1");
    assertThat(a.stops).hasValue(0);

    gate.settled("j1");
    assertThat(gate.cancelBatch("b1")).isEmpty();
  }

  @Test
  void anAttemptThatWillBeRetriedCanStillBeCancelled() {
    gate.begin("j1", new Attempt("b1"));
    assertThat(gate.end("j1", "b1", false)).isTrue();

    assertThat(gate.cancel("j1")).isTrue();
    assertThat(gate.begin("j1", new Attempt("b1"))).isFalse();
  }

  @Test
  void aBatchCancelStopsOnlyThatBatchsAttempts() {
    Attempt mine = new Attempt("b1");
    Attempt other = new Attempt("b2");
    gate.begin("j1", mine);
    gate.begin("j2", other);

    assertThat(gate.cancelBatch("b1")).isEmpty();

    assertThat(mine.stops).hasValue(1);
    assertThat(other.stops).hasValue(0);
    assertThat(gate.end("j1", "b1", true)).isFalse();
    assertThat(gate.end("j2", "b2", true)).isTrue();
    assertThat(gate.begin("j3", new Attempt("b1"))).as("a job of the batch not started yet").isFalse();
  }

  @Test
  void aForgottenBatchLeavesNothingBehind() {
    gate.cancel("j1");
    gate.cancelBatch("b1");
    gate.begin("j2", new Attempt("b3"));
    gate.end("j2", "b3", true);

    gate.forget("b1", List.of("j1"));
    gate.forget("b3", List.of("j2"));

    assertThat(gate.begin("j1", new Attempt("b1"))).isTrue();
    assertThat(gate.cancel("j2")).isTrue();
  }

  @Test
  void itCountsTheAttemptsBegunUntilTheJobIsSettled() {
    assertThat(gate.attempts("j1")).isZero();
    assertThat(gate.begin("j1", new Attempt("b1"))).isTrue();
    assertThat(gate.end("j1", "b1", false)).isTrue();

    assertThat(gate.attempts("j1")).as("between attempts").isEqualTo(1);
    gate.settled("j1");
    assertThat(gate.attempts("j1")).isZero();
  }
}
