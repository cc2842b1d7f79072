package io.spool.media.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Ends a process and every process it started, so that nothing is left orphaned. */
public final class ProcessTree {
  private ProcessTree() {}

  /**
   * Asks the whole tree to stop (SIGTERM), waits up to {@code grace}, then kills what is left
   * (SIGKILL) and reaps the root. Descendants are collected first: once the root dies its
   * children are re-parented and could no longer be found.
   */
  public static void end(Process process, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle h : tree) {
      waitUntil(h, deadline);
    }
    try {
      if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        process.descendants().forEach(tree::add);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          process.waitFor();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void waitUntil(ProcessHandle h, long deadlineNanos) {
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        h.onExit().get(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // still alive: it is force-killed next
    }
  }
}
