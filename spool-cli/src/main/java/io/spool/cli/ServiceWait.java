package io.spool.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * How a process that serves a shared Temporal service (worker, coordinator) waits for it: before
 * it starts, until the service answers; once it serves, until a stop signal, saying once (not per
 * poll) when the service stops answering and when it answers again.
 */
final class ServiceWait {
  private ServiceWait() {}

  /**
   * Waits until {@code answers} says yes, saying once that it waits; false when {@code stopped}
   * came first. {@code answers} may throw where waiting would not help (TLS, namespace).
   */
  static boolean untilAnswers(BooleanSupplier answers, String who, String target, CountDownLatch stopped, PrintWriter err)
      throws InterruptedException {
    boolean said = false;
    while (!answers.getAsBoolean()) {
      if (!said) {
        err.println(who + ": waiting for the Temporal service at " + target);
        err.flush();
        said = true;
      }
      if (stopped.await(1, TimeUnit.SECONDS)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns once {@code stopped} counts down, meanwhile asking {@code reachable} every few seconds
   * and saying when the answer changes (Temporal's pollers retry an unreachable service by
   * themselves).
   */
  static void untilStopped(BooleanSupplier reachable, String who, String target, CountDownLatch stopped,
      SpoolSubcommand command) throws InterruptedException {
    boolean was = true;
    while (!stopped.await(2, TimeUnit.SECONDS)) {
      boolean now = reachable.getAsBoolean();
      if (now != was) {
        was = now;
        if (now) {
          command.err().println(who + ": the Temporal service at " + target + " answers again");
          command.err().flush();
        } else {
          command.warn("the Temporal service at " + target + " does not answer; retrying until it does");
        }
      }
    }
  }
}
