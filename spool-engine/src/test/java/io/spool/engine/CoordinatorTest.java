package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.PriceTable;
import io.spool.media.testing.Eventually;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator role: real Temporal services, a real job store shared as processes share it. */
class CoordinatorTest {
  @TempDir Path home;

  @Test
  void aClosedCoordinatorHasFinishedWithTheStore() throws Exception {
    JobStore store = JobStore.at(home);
    store.requestCancel("j-gone"); // a request for a job without a record: the coordinator clears it
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    // Another process holds the store's write lock: the coordinator's clearing of the request waits for it.
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("spool.db"));
        Statement s = other.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      Coordinator coordinator = Coordinator.register(env.getWorkerFactory(), store, PriceTable.REFERENCE, true);
      Thread watcher = Eventually.await(Duration.ofSeconds(10), "the coordinator clearing the cancel request",
          () -> threadIn("clearCancelRequest"), Optional::isPresent).orElseThrow();
      Thread closing = Thread.currentThread();
      // The other process lets go once close() has begun (and only then).
      CompletableFuture<Boolean> released = CompletableFuture.supplyAsync(() -> {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && !runs(closing, "Coordinator", "close")) {
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            break;
          }
        }
        try {
          s.execute("ROLLBACK");
          return true;
        } catch (java.sql.SQLException e) {
          return false;
        }
      });

      coordinator.close();

      assertThat(watcher.isAlive()).as("the coordinator's watcher once close() has returned").isFalse();
      assertThat(released.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      env.close();
      store.close();
    }
  }

  /** The thread running a method of that name now, if one is. */
  private static Optional<Thread> threadIn(String method) {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals(method)))
        .map(java.util.Map.Entry::getKey).findFirst();
  }

  /** Whether {@code t} is inside {@code cls.method} now. */
  private static boolean runs(Thread t, String cls, String method) {
    return Arrays.stream(t.getStackTrace())
        .anyMatch(f -> f.getClassName().endsWith("." + cls) && f.getMethodName().equals(method));
  }
}
