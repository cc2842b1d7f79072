package io.spool.cli;

import io.spool.engine.JobStore;
import io.spool.engine.WorkerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code spool workers}: the media workers of shared services, as they recorded themselves in the job store. */
@Command(name = "workers", description = {
    "List the media workers (spool worker, spool dev-server) that recorded themselves in the job store: those",
    "live now and those seen in the last day, with their queues, capacity, whether NVENC was proven, and when",
    "each was last seen (a running worker is seen every 10 s; one silent for 30 s was killed or cut off)."})
final class WorkersCommand extends SpoolSubcommand {
  /**
   * One worker as listed; {@code state} is {@code live}, {@code stopped} (it stopped cleanly) or
   * {@code silent} (not seen for {@link WorkerRecord#LIVE_WITHIN}: killed, or cut off).
   */
  record Listed(String id, String host, long pid, List<String> queues, int cpu, int memoryMiB, boolean gpu, String state,
      Instant startedAt, Instant lastSeen, Instant stoppedAt) {
    static Listed of(WorkerRecord w, Instant now) {
      return new Listed(w.id(), w.host(), w.pid(), w.queues(), w.cpu(), w.memoryMiB(), w.gpuEncode(), w.state(now), w.startedAt(),
          w.lastSeen(), w.stoppedAt());
    }
  }

  @Override
  public Integer call() {
    Instant now = Instant.now();
    List<Listed> workers;
    try (JobStore store = jobStore()) {
      workers = store.workers(now.minus(WorkerRecord.KEPT_FOR)).stream().map(w -> Listed.of(w, now)).toList();
    }
    String row = "%-16s %-16s %8s %-8s %4s %8s %-4s %-8s %s%n";
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, row, "ID", "HOST", "PID", "QUEUES", "CPU", "MEMORY", "GPU",
        "STATE", "LAST SEEN"));
    for (Listed w : workers) {
      sb.append(String.format(Locale.ROOT, row, w.id(), w.host(), w.pid(), String.join(",", w.queues()), w.cpu(),
          w.memoryMiB() > 0 ? w.memoryMiB() + "M" : "-", w.gpu() ? "yes" : "no", w.state(), ago(w.lastSeen(), now)));
    }
    if (workers.isEmpty()) {
      sb.append("no worker seen in the last day (start one with `spool worker` or `spool dev-server`)");
    }
    print(workers, sb.toString().stripTrailing());
    return ExitCodes.OK;
  }

  private static String ago(Instant t, Instant now) {
    long s = Math.max(0, Duration.between(t, now).toSeconds());
    return s < 60 ? s + " s ago" : s < 3600 ? s / 60 + " min ago" : s / 3600 + " h ago";
  }
}
