package io.spool.engine.internal;

import io.temporal.worker.tuning.ActivitySlotInfo;
import io.temporal.worker.tuning.SlotMarkUsedContext;
import io.temporal.worker.tuning.SlotPermit;
import io.temporal.worker.tuning.SlotReleaseContext;
import io.temporal.worker.tuning.SlotReserveContext;
import io.temporal.worker.tuning.SlotSupplier;
import io.temporal.worker.tuning.SlotSupplierFuture;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A media worker's activity slots: a fixed number, handed out in turn, and none at all once it
 * {@linkplain #close closes} for a drain. Suspending Temporal's pollers is not enough to stop a
 * busy worker from taking work: a poller that waits for a slot when polling is suspended still
 * polls, and takes a job, once a running job frees its slot.
 */
public final class ActivitySlots implements SlotSupplier<ActivitySlotInfo> {
  private final int size;
  private final Deque<CompletableFuture<SlotPermit>> waiting = new ArrayDeque<>(); // guarded by this
  private int free; // guarded by this
  private boolean closed; // guarded by this

  public ActivitySlots(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a worker has at least one slot, got " + size);
    }
    this.size = size;
    this.free = size;
  }

  /** From now on no slot is handed out: the pollers stop taking work; the jobs running go on. */
  public synchronized void close() {
    closed = true;
  }

  @Override
  public SlotSupplierFuture reserveSlot(SlotReserveContext<ActivitySlotInfo> ctx) {
    CompletableFuture<SlotPermit> slot = new CompletableFuture<>();
    synchronized (this) {
      if (!closed && free > 0) {
        free--;
        return SlotSupplierFuture.completedFuture(new SlotPermit());
      }
      waiting.add(slot);
    }
    return SlotSupplierFuture.fromCompletableFuture(slot, () -> forget(slot));
  }

  /**
   * A reservation given up (its poller stops). If a slot reached it at that very moment, the
   * slot would be lost with it: it goes to the next in line instead.
   */
  private void forget(CompletableFuture<SlotPermit> slot) {
    CompletableFuture<SlotPermit> next = null;
    synchronized (this) {
      if (!waiting.remove(slot) && slot.isDone() && !slot.isCompletedExceptionally()) {
        next = handOn();
      }
    }
    give(next);
  }

  @Override
  public synchronized Optional<SlotPermit> tryReserveSlot(SlotReserveContext<ActivitySlotInfo> ctx) {
    if (closed || free == 0) {
      return Optional.empty();
    }
    free--;
    return Optional.of(new SlotPermit());
  }

  @Override
  public void markSlotUsed(SlotMarkUsedContext<ActivitySlotInfo> ctx) {
    // every slot counts the same
  }

  @Override
  public void releaseSlot(SlotReleaseContext<ActivitySlotInfo> ctx) {
    CompletableFuture<SlotPermit> next;
    synchronized (this) {
      next = handOn();
    }
    give(next);
  }

  /**
   * A slot came free: the first poller waiting gets it (returned, to be given outside the lock),
   * unless closed; otherwise it is free. Called holding the lock.
   */
  private CompletableFuture<SlotPermit> handOn() {
    if (!closed && !waiting.isEmpty()) {
      return waiting.poll();
    }
    free++;
    return null;
  }

  /**
   * Gives a waiting poller its slot on another thread: completing the reservation runs the
   * poller's next step (a long poll) on the completing thread, which must be neither the thread
   * that ends a job nor one holding this lock.
   */
  private static void give(CompletableFuture<SlotPermit> next) {
    if (next != null) {
      java.util.concurrent.ForkJoinPool.commonPool().execute(() -> next.complete(new SlotPermit()));
    }
  }

  @Override
  public Optional<Integer> getMaximumSlots() {
    return Optional.of(size);
  }
}
