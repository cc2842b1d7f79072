package io.spool.media.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Ends a process and every process it started, so that nothing is left orphaned. */
public final class ProcessTree {
  private static final Duration PARENT_GRACE = Duration.ofMillis(500);

  private ProcessTree() {}

  /**
   * Asks the whole tree to stop (SIGTERM), waits up to {@code grace}, then kills what is left
   * (SIGKILL), the root last, and reaps the root. Descendants are collected first: once the root
   * dies its children are re-parented and could no longer be found. The waits are bounded and not
   * cut short by an interrupt (which is kept for the caller): a cut-short wait would kill the root
   * before it could report its children's usage.
   */
  public static void end(Process process, Duration grace) {
    boolean interrupted = Thread.interrupted();
    try {
      List<ProcessHandle> tree = new ArrayList<>();
      process.descendants().forEach(tree::add);
      tree.forEach(ProcessHandle::destroy);
      // Through the handle: Process.destroy() would also close the pipes, losing what the process
      // still has to say (a wrapper's report of its child's usage comes last).
      process.toHandle().destroy();
      long deadline = System.nanoTime() + grace.toNanos();
      for (ProcessHandle h : tree) {
        interrupted |= waitUntil(h, deadline);
      }
      interrupted |= waitUntil(process.toHandle(), deadline);
      if (process.isAlive()) {
        process.descendants().forEach(tree::add);
      }
      List<ProcessHandle> left = tree.stream().filter(ProcessHandle::isAlive).toList();
      left.forEach(ProcessHandle::destroyForcibly);
      if (!left.isEmpty()) {
        // A parent that waits for its children (a wrapper that reports their usage) gets a moment
        // to see them end and report, before it is killed too.
        interrupted |= waitUntil(process.toHandle(), System.nanoTime() + PARENT_GRACE.toNanos());
      }
      process.toHandle().destroyForcibly();
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

  /** Waits until {@code h} has exited or the deadline has passed; true if interrupted meanwhile. */
  private static boolean waitUntil(ProcessHandle h, long deadlineNanos) {
    boolean interrupted = false;
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return interrupted;
      }
      try {
        h.onExit().get(left, TimeUnit.NANOSECONDS);
        return interrupted;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        return interrupted; // still alive: it is force-killed next
      }
    }
  }
}
