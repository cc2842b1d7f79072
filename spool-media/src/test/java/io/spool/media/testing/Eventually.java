package io.spool.media.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting in tests for something that happens on another thread or in another process: polls a
 * condition until it holds and fails the test, naming what it waited for, once the deadline has
 * passed. Tests never sleep for a fixed time instead.
 */
public final class Eventually {
  private static final long FIRST_PAUSE_MILLIS = 5;
  private static final long LONGEST_PAUSE_MILLIS = 100;

  private Eventually() {}

  /** Waits until {@code condition} holds; fails with {@code what} when it does not within {@code limit}. */
  public static void await(Duration limit, String what, BooleanSupplier condition) {
    await(limit, what, condition::getAsBoolean, done -> done);
  }

  /**
   * Reads {@code value} until {@code done} accepts it and returns that value; fails with
   * {@code what} and the last value read when none is accepted within {@code limit}.
   */
  public static <T> T await(Duration limit, String what, Supplier<T> value, Predicate<? super T> done) {
    long deadline = System.nanoTime() + limit.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      T seen = value.get();
      if (done.test(seen)) {
        return seen;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("waited " + limit.toMillis() + " ms for " + what + "; last saw " + seen);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
      pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
    }
  }
}
