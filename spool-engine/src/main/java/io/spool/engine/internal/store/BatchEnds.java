package io.spool.engine.internal.store;

import io.spool.engine.BatchRecord;
import io.spool.engine.JobCost;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.media.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a batch's record ends: tallied from its jobs' records once its workflow has run them all,
 * or failed as a whole where its workflow ended first (it failed for good, or was terminated) and
 * nothing will finish its unfinished jobs.
 */
public final class BatchEnds {
  private BatchEnds() {}

  /** What {@link #fail} did: the batch as it is now, and the jobs it ended. */
  public record Failed(BatchRecord batch, List<JobRecord> jobs) {}

  /**
   * Tallies the batch from its jobs' records, in one transaction; a batch that has ended
   * meanwhile is left as it is. Returns the batch as it is now (without job ids), or null where
   * there is none.
   */
  public static BatchRecord end(Database db, RecordReader reader, String batchId, Instant now) {
    return db.write(c -> {
      BatchRows.Row row = BatchRows.one(c, batchId, db.forUpdate());
      if (row == null) {
        return null;
      }
      BatchRecord b = reader.batch(row, List.of());
      if (b.state().terminal()) {
        return b;
      }
      BatchRecord ended = tallied(c, reader, b, now);
      BatchRows.put(c, ended);
      return ended;
    });
  }

  /**
   * In one transaction, records the batch's unfinished jobs as failed and the batch as failed as a
   * whole, with {@code code} and {@code why}. A batch without unfinished jobs did not fail with
   * its workflow (which failed after the last job had ended, recording the batch's end, say): it
   * is tallied as {@link #end} does. A batch that has ended meanwhile is left as it is. A damaged
   * job record is left out (and warned about), not allowed to keep the batch open. Returns null
   * where there is no such batch.
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
      BatchRecord ended = tallied(c, reader, b, now);
      if (!closed.isEmpty()) {
        ended = b.failedAsAWhole(now, ended.succeeded(), ended.failed(), ended.cancelled(), ended.cost(), code, why);
      }
      BatchRows.put(c, ended);
      return ended;
    });
    return batch == null ? null : new Failed(batch, closed);
  }

  /**
   * The batch, ended as its jobs' records say: failed where any job failed, else cancelled where
   * any was, else succeeded. A job still unfinished here is one whose end could not be recorded
   * (its record is damaged, and was left as it was): the batch fails with
   * {@link ErrorCode#RECORD_DAMAGED}, naming it.
   */
  private static BatchRecord tallied(Connection c, RecordReader reader, BatchRecord b, Instant now) throws SQLException {
    Map<JobState, Integer> tally = JobRows.tally(c, b.id());
    int ok = tally.getOrDefault(JobState.SUCCEEDED, 0);
    int failed = tally.getOrDefault(JobState.FAILED, 0);
    int stopped = tally.getOrDefault(JobState.CANCELLED, 0);
    JobCost cost = JobCost.ZERO;
    for (JobRecord r : reader.jobs(JobRows.ofBatch(c, b.id(), 0, Integer.MAX_VALUE))) {
      if (r.outcome() != null) {
        cost = cost.plus(r.outcome().cost());
      }
    }
    List<String> unrecorded = JobRows.idsOfBatch(c, b.id(), true);
    if (!unrecorded.isEmpty()) {
      String why = unrecorded.size() == 1
          ? "the end of job " + unrecorded.get(0) + " could not be recorded: its record is damaged"
          : "the ends of " + unrecorded.size() + " jobs (" + unrecorded.get(0) + ", ...) could not be recorded: their records"
              + " are damaged";
      return b.failedAsAWhole(now, ok, failed, stopped, cost, ErrorCode.RECORD_DAMAGED.name(), why);
    }
    JobState state = failed > 0 ? JobState.FAILED : stopped > 0 ? JobState.CANCELLED : JobState.SUCCEEDED;
    return b.ended(state, now, ok, failed, stopped, cost);
  }
}
