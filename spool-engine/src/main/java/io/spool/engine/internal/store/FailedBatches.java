package io.spool.engine.internal.store;

import io.spool.engine.BatchRecord;
import io.spool.engine.JobCost;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batches whose workflow ended before their jobs did (it failed for good, or was terminated):
 * nothing will finish their jobs, so the batch and its unfinished jobs are recorded as failed.
 */
public final class FailedBatches {
  private FailedBatches() {}

  /** What {@link #fail} did: the batch as it is now, and the jobs it ended. */
  public record Failed(BatchRecord batch, List<JobRecord> jobs) {}

  /**
   * In one transaction, records the batch's unfinished jobs as failed and the batch as failed as a
   * whole, with {@code code} and {@code why}; a batch that has ended meanwhile is left as it is.
   * A damaged job record is left out (and warned about), not allowed to keep the batch open.
   * Returns null where there is no such batch.
   */
  public static Failed fail(Database db, RecordReader reader, String batchId, String code, String why, Instant now) {
    List<JobRecord> closed = new ArrayList<>();
    BatchRecord batch = db.write(c -> {
      closed.clear();
      BatchRows.Row row = BatchRows.one(c, batchId, db.forUpdate());
      if (row == null) {
        return null;
      }
      BatchRecord b = reader.batch(row, List.of());
      if (b.state().terminal()) {
        return b;
      }
      List<JobRows.Change> writes = new ArrayList<>();
      for (String id : JobRows.idsOfBatch(c, batchId, true)) {
        JobRows.Current before = JobRows.current(c, db.forUpdate(), id);
        Optional<JobRecord> r = reader.orSkip("job " + id, () -> reader.job(id, before.json()));
        if (r.isPresent() && !r.get().state().terminal()) {
          JobRecord next = r.get().withOutcome(r.get().endedBefore(JobState.FAILED, code, why, now));
          writes.add(new JobRows.Change(next, before));
          closed.add(next);
        }
      }
      JobRows.write(c, writes);
      Map<JobState, Integer> tally = JobRows.tally(c, batchId);
      JobCost cost = JobCost.ZERO;
      for (JobRecord r : reader.jobs(JobRows.ofBatch(c, batchId, 0, Integer.MAX_VALUE))) {
        if (r.outcome() != null) {
          cost = cost.plus(r.outcome().cost());
        }
      }
      BatchRecord failed = b.failedAsAWhole(now, tally.getOrDefault(JobState.SUCCEEDED, 0),
          tally.getOrDefault(JobState.FAILED, 0), tally.getOrDefault(JobState.CANCELLED, 0), cost, code, why);
      BatchRows.put(c, failed);
      return failed;
    });
    return batch == null ? null : new Failed(batch, closed);
  }
}
