package io.spool.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A media worker of a shared service as the job store knows it: written as it starts, seen again
 * every {@link #REFRESH} while it runs, and marked stopped when it stops cleanly. Submitters read
 * these to learn whether a live worker serves the {@code gpu} queue.
 *
 * @param memoryMiB its memory capacity; 0 for no limit of its own
 * @param gpuEncode whether a real test encode on its host proved NVENC works
 * @param stoppedAt when it stopped cleanly; null while it runs, or where it was killed
 */
public record WorkerRecord(String id, String host, long pid, List<String> queues, int cpu, int memoryMiB,
    boolean gpuEncode, Instant startedAt, Instant lastSeen, Instant stoppedAt) {
  /** How often a running worker says it is still there. */
  public static final Duration REFRESH = Duration.ofSeconds(10);
  /** A worker last seen longer ago than this is not counted on (killed, or cut off). */
  public static final Duration LIVE_WITHIN = Duration.ofSeconds(30);
  /** The store forgets a worker not seen for this long (the next time a worker starts). */
  public static final Duration KEPT_FOR = Duration.ofDays(1);

  public WorkerRecord {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a worker record has an id");
    }
    if (startedAt == null || lastSeen == null) {
      throw new IllegalArgumentException("worker record " + id + " has no " + (startedAt == null ? "startedAt" : "lastSeen"));
    }
    host = host == null ? "" : host;
    queues = List.copyOf(queues);
  }

  /** A worker starting now, as {@code self} with the capacity and queues given. */
  public static WorkerRecord starting(WorkerRef self, List<String> queues, int cpu, int memoryMiB, boolean gpuEncode,
      Instant now) {
    return new WorkerRecord(self.id(), self.host(), self.pid(), queues, cpu, memoryMiB, gpuEncode, now, now, null);
  }

  /** Whether it runs as of {@code now}: seen within {@link #LIVE_WITHIN} and not stopped. */
  public boolean live(Instant now) {
    return stoppedAt == null && !lastSeen.isBefore(now.minus(LIVE_WITHIN));
  }

  /**
   * {@code live}, {@code stopped} (it stopped cleanly) or {@code silent} (not seen for
   * {@link #LIVE_WITHIN}: killed, or cut off), as of {@code now}.
   */
  public String state(Instant now) {
    return live(now) ? "live" : stoppedAt != null ? "stopped" : "silent";
  }

  /** Whether it takes GPU jobs: it serves the {@code gpu} queue, which only a worker that proved NVENC does. */
  public boolean servesGpu() {
    return gpuEncode && queues.contains(Resources.GPU_QUEUE);
  }

  /**
   * Why a job that requires a GPU cannot start as of {@code now}, with these workers of a shared
   * service: none that is live serves the gpu queue. Empty when one does.
   */
  public static java.util.Optional<String> gpuWait(List<WorkerRecord> workers, Instant now) {
    if (workers.stream().anyMatch(w -> w.live(now) && w.servesGpu())) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of("waiting for a GPU worker: no live worker serves the gpu queue (a worker serves it only"
        + " where a test encode proved NVENC; see spool workers and spool doctor)");
  }
}
