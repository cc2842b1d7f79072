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
 *
 * <p>A batch's cost is the sum of its ended jobs' costs, which only their records hold: it is read
 * before the transaction that ends the batch, page by page, and read again inside only where a
 * job ended in between. Its jobs' rows are locked before its own row, as every change of jobs
 * locks them (see {@link JobRows#write}).
 */
public final class BatchEnds {
  /** Ended jobs read per page when summing a batch's cost. */
  private static final int PAGE = 1000;

  private BatchEnds() {}

  /** What {@link #fail} did: the batch as it is now, and the jobs it ended. */
  public record Failed(BatchRecord batch, List<JobRecord> jobs) {}

  /** The cost of a batch's ended jobs, and how many ended jobs it counts. */
  private record Spent(JobCost cost, int jobs) {}

  /**
   * Tallies the batch from its jobs' records, in one transaction; a batch that has ended
   * meanwhile is left as it is. Returns the batch as it is now (without job ids), or null where
   * there is none.
   */
  public static BatchRecord end(Database db, RecordReader reader, String batchId, Instant now) {
    Spent before = db.read(c -> spent(c, reader, batchId));
    return db.write(c -> {
      BatchRows.Row row = BatchRows.one(c, batchId, db.forUpdate());
      if (row == null) {
        return null;
      }
      BatchRecord b = reader.batch(row, List.of());
      if (b.state().terminal()) {
        return b;
      }
      BatchRecord ended = tallied(c, reader, b, before, 0, now);
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
    Spent before = db.read(c -> {
      BatchRows.Row row = BatchRows.one(c, batchId, "");
      return row == null || reader.batch(row, List.of()).state().terminal() ? null : spent(c, reader, batchId);
    });
    List<JobRecord> closed = new ArrayList<>();
    BatchRecord batch = db.write(c -> {
      closed.clear();
      List<JobRows.Change> writes = new ArrayList<>();
      for (JobRows.Locked j : JobRows.unfinishedOfBatch(c, db.forUpdate(), batchId)) {
        Optional<JobRecord> r = reader.orSkip("job " + j.id(), () -> reader.job(j.id(), j.current().json()));
        if (r.isPresent() && !r.get().state().terminal()) {
          JobRecord next = r.get().withOutcome(r.get().endedBefore(JobState.FAILED, code, why, now));
          writes.add(new JobRows.Change(next, j.current()));
          closed.add(next);
        }
      }
      BatchRows.Row row = BatchRows.one(c, batchId, db.forUpdate());
      if (row == null) {
        closed.clear();
        return null;
      }
      BatchRecord b = reader.batch(row, List.of());
      if (b.state().terminal()) {
        closed.clear();
        return b;
      }
      JobRows.write(c, writes);
      BatchRecord ended = tallied(c, reader, b, before, closed.size(), now);
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
   * {@link ErrorCode#RECORD_DAMAGED}, naming it. {@code before}: the cost read before this
   * transaction; {@code closedNow}: jobs this transaction ended (at no cost).
   */
  private static BatchRecord tallied(Connection c, RecordReader reader, BatchRecord b, Spent before, int closedNow,
      Instant now) throws SQLException {
    Map<JobState, Integer> tally = JobRows.tally(c, b.id());
    int ok = tally.getOrDefault(JobState.SUCCEEDED, 0);
    int failed = tally.getOrDefault(JobState.FAILED, 0);
    int stopped = tally.getOrDefault(JobState.CANCELLED, 0);
    Spent spent = before != null && before.jobs() == ok + failed + stopped - closedNow ? before : spent(c, reader, b.id());
    List<String> unrecorded = JobRows.idsOfBatch(c, b.id(), true);
    if (!unrecorded.isEmpty()) {
      String why = unrecorded.size() == 1
          ? "the end of job " + unrecorded.get(0) + " could not be recorded: its record is damaged"
          : "the ends of " + unrecorded.size() + " jobs (" + unrecorded.get(0) + ", ...) could not be recorded: their records"
              + " are damaged";
      return b.failedAsAWhole(now, ok, failed, stopped, spent.cost(), ErrorCode.RECORD_DAMAGED.name(), why);
    }
    JobState state = failed > 0 ? JobState.FAILED : stopped > 0 ? JobState.CANCELLED : JobState.SUCCEEDED;
    return b.ended(state, now, ok, failed, stopped, spent.cost());
  }

  /** What the batch's ended jobs cost, read page by page in the order they ended. */
  private static Spent spent(Connection c, RecordReader reader, String batchId) throws SQLException {
    JobCost cost = JobCost.ZERO;
    int jobs = 0;
    long after = 0;
    while (true) {
      List<JobRows.Row> rows = JobRows.endedSince(c, batchId, after, PAGE);
      if (rows.isEmpty()) {
        return new Spent(cost, jobs);
      }
      jobs += rows.size();
      after = rows.get(rows.size() - 1).key();
      for (JobRecord r : reader.jobs(rows)) {
        if (r.outcome() != null) {
          cost = cost.plus(r.outcome().cost());
        }
      }
    }
  }
}
