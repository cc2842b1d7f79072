package io.spool.engine.internal.store;

import io.spool.engine.BatchRecord;
import io.spool.engine.JobRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Batches whose process is gone (killed with SIGKILL, or the machine went down) while they ran
 * inside it: nothing will finish their jobs, so they are closed as cancelled.
 */
public final class AbandonedBatches {
  /**
   * Linux reports a process's start only to within a second or so (boot time in whole seconds,
   * moved by clock adjustments), and a record is made well under a second after its process
   * starts, so a start up to this long after the record still counts.
   */
  private static final Duration START_SLACK = Duration.ofSeconds(5);

  private AbandonedBatches() {}

  /**
   * Whether {@code b} ran inside its submitting process and that process is gone. A live process
   * counts as the batch's only if it started before the record was made, so a recycled pid keeps
   * nothing open.
   */
  public static boolean abandoned(BatchRecord b) {
    return b.embedded() && !ProcessHandle.of(b.coordinatorPid()).filter(ProcessHandle::isAlive)
        .map(h -> h.info().startInstant().map(started -> !started.isAfter(b.createdAt().plus(START_SLACK))).orElse(true))
        .orElse(false);
  }

  /**
   * Closes the batch and its unfinished jobs in one transaction, unless another process has closed
   * it meanwhile; returns the jobs it closed.
   */
  public static List<JobRecord> close(Database db, RecordReader reader, String batchId, Instant now) {
    List<JobRecord> closed = new ArrayList<>();
    db.write(c -> {
      closed.clear();
      // The jobs' rows are locked before the batch's, as every change of jobs locks them.
      List<JobRows.Locked> unfinished = JobRows.unfinishedOfBatch(c, db.forUpdate(), batchId);
      BatchRows.Row row = BatchRows.one(c, batchId, db.forUpdate());
      BatchRecord b = row == null ? null : reader.batch(row, List.of());
      if (b == null || b.state().terminal()) {
        return null;
      }
      String why = "abandoned: its spool process (pid " + b.coordinatorPid() + ") ended without finishing it";
      List<JobRows.Change> writes = new ArrayList<>();
      for (JobRows.Locked j : unfinished) {
        Optional<JobRecord> r = reader.orSkip("job " + j.id(), () -> reader.job(j.id(), j.current().json()));
        if (r.isPresent() && !r.get().state().terminal()) {
          JobRecord next = r.get().withOutcome(r.get().interrupted(now, why));
          writes.add(new JobRows.Change(next, j.current()));
          closed.add(next);
        }
      }
      JobRows.write(c, writes);
      BatchRows.put(c, b.interrupted(now));
      return null;
    });
    return closed;
  }
}
