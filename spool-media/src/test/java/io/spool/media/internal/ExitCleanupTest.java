package io.spool.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.CancelledException;
import io.spool.media.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExitCleanupTest {
  @Test
  void runsPhasesInOrderAndSkipsClosedRegistrations() {
    ExitCleanup cleanup = new ExitCleanup();
    List<String> ran = new CopyOnWriteArrayList<>();
    cleanup.add(ExitCleanup.Phase.REMOVE_FILES, () -> ran.add("files"));
    cleanup.add(ExitCleanup.Phase.END_PROCESSES, () -> ran.add("processes"));
    cleanup.add(ExitCleanup.Phase.RECORD_STATE, () -> ran.add("state"));
    cleanup.add(ExitCleanup.Phase.END_PROCESSES, () -> ran.add("finished job")).close();

    cleanup.run();

    assertThat(ran).containsExactly("processes", "state", "files");
  }

  @Test
  void nothingNewStartsOnceExitHasBegun() {
    ExitCleanup cleanup = new ExitCleanup();
    cleanup.run();

    List<String> started = new CopyOnWriteArrayList<>();
    assertThatThrownBy(() -> cleanup.admit(() -> started.add("ffmpeg")))
        .isInstanceOf(CancelledException.class).hasMessageContaining("exiting");
    assertThatThrownBy(() -> cleanup.add(ExitCleanup.Phase.REMOVE_FILES, () -> { }))
        .isInstanceOf(CancelledException.class);
    assertThat(started).isEmpty();
  }

  @Test
  void aStartUnderWayIsEndedWithTheRest() throws Exception {
    ExitCleanup cleanup = new ExitCleanup();
    List<String> ended = new CopyOnWriteArrayList<>();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> starter = CompletableFuture.runAsync(() -> cleanup.admit(() -> {
      inside.countDown();
      await(release);
      // The process is known only now, after the exit began: it must still be ended.
      return cleanup.add(ExitCleanup.Phase.END_PROCESSES, () -> ended.add("late ffmpeg"));
    }));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

    FutureTask<Void> exit = new FutureTask<>(cleanup::run, null);
    Thread exiting = new Thread(exit, "exit");
    exiting.start();
    // The exit either waits for the start under way (its thread parks) or wrongly runs on.
    Thread.State state = Eventually.await(Duration.ofSeconds(10), "the exit to wait or end", exiting::getState,
        s -> s == Thread.State.WAITING || s == Thread.State.TERMINATED);
    assertThat(state).as("the exit waits for the start under way").isEqualTo(Thread.State.WAITING);
    assertThat(exit).isNotDone();
    release.countDown();
    exit.get(10, TimeUnit.SECONDS);
    starter.get(10, TimeUnit.SECONDS);

    assertThat(ended).containsExactly("late ffmpeg");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
