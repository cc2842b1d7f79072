package io.spool.engine.internal.store;

import io.spool.engine.AttemptRecord;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.WorkerRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of the {@code jobs} and {@code attempts} tables: a job's record as JSON beside the
 * columns that lists search by, and its attempts with their workers.
 */
public final class JobRows {
  /** Bits of {@code list_key} that hold the index: more than a batch's jobs. */
  private static final int INDEX_BITS = 17;
  private static final int MAX_INDEX = (1 << INDEX_BITS) - 1;
  private static final String INSERT = "INSERT INTO jobs (batch_id, idx, state, created_ms, list_key, ended_seq, record, id)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE = "UPDATE jobs SET batch_id = ?, idx = ?, state = ?, created_ms = ?, list_key = ?,"
      + " ended_seq = ?, record = ? WHERE id = ?";
  private static final String UPSERT_ATTEMPT = "INSERT INTO attempts (job_id, number, worker_id, host, pid, started_ms,"
      + " ended_ms, error_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, number) DO UPDATE SET"
      + " worker_id = excluded.worker_id, host = excluded.host, pid = excluded.pid, started_ms = excluded.started_ms,"
      + " ended_ms = excluded.ended_ms, error_code = excluded.error_code";

  private JobRows() {}

  /**
   * Lists show jobs newest first and the jobs of one batch by index: {@code list_key} descending
   * is both, as one number (the creation millisecond, then the index counted down), so that a
   * page starts where the last ended with one comparison an index can seek to.
   */
  static long listKey(Instant created, int index) {
    int i = Math.min(Math.max(index, 0), MAX_INDEX);
    return created.toEpochMilli() * (MAX_INDEX + 1L) + (MAX_INDEX - i);
  }

  /** A job's row as read before it changes: its record's JSON, its state and its place among the ended. */
  public record Current(String json, JobState state, Long endedSeq) {}

  /** A job's row (locked until the transaction ends, on PostgreSQL), if there is one. */
  public static Current current(Connection c, String forUpdate, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT record, state, ended_seq FROM jobs WHERE id = ?" + forUpdate)) {
      ps.setString(1, id);
      try (ResultSet r = ps.executeQuery()) {
        if (!r.next()) {
          return null;
        }
        long seq = r.getLong(3);
        return new Current(r.getString(1), JobState.valueOf(r.getString(2)), r.wasNull() ? null : seq);
      }
    }
  }

  /** A job's row as read before it changes, with its id. */
  public record Locked(String id, Current current) {}

  /**
   * The rows of a batch's unfinished jobs, by id (and so locked in the order of their ids, on
   * PostgreSQL, as {@code JobStore.updateEach} locks them: two transactions never wait on each other).
   */
  public static List<Locked> unfinishedOfBatch(Connection c, String forUpdate, String batchId) throws SQLException {
    List<Locked> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, record, state, ended_seq FROM jobs"
        + " WHERE batch_id = ? AND state IN ('QUEUED', 'RUNNING') ORDER BY id" + forUpdate)) {
      ps.setString(1, batchId);
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          long seq = r.getLong(4);
          out.add(new Locked(r.getString(1), new Current(r.getString(2), JobState.valueOf(r.getString(3)), r.wasNull() ? null : seq)));
        }
      }
    }
    return out;
  }

  /** A job's new record, and its row before (null for a new job). */
  public record Change(JobRecord next, Current before) {
    /** Whether the job ends with this change, and so takes the next place among its batch's ended jobs. */
    boolean ends() {
      return next.state().terminal() && next.batchId() != null && (before == null || !before.state().terminal());
    }
  }

  /**
   * Writes the changes, in one statement batch per kind, within the caller's transaction. Each job
   * that ends here gets the next number of its batch's ended jobs, in the order given.
   */
  public static void write(Connection c, List<Change> changes) throws SQLException {
    // Batch rows are locked (by takeEnded) after the jobs' rows and in the order of their ids, as
    // everywhere else, so that two transactions never wait on each other.
    Map<String, Integer> ending = new java.util.TreeMap<>();
    for (Change ch : changes) {
      if (ch.ends()) {
        ending.merge(ch.next().batchId(), 1, Integer::sum);
      }
    }
    Map<String, Long> nextSeq = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : ending.entrySet()) {
      nextSeq.put(e.getKey(), BatchRows.takeEnded(c, e.getKey(), e.getValue()) - e.getValue() + 1);
    }
    try (PreparedStatement insert = c.prepareStatement(INSERT);
        PreparedStatement update = c.prepareStatement(UPDATE);
        PreparedStatement attempts = c.prepareStatement(UPSERT_ATTEMPT)) {
      int inserts = 0;
      int updates = 0;
      int attemptRows = 0;
      for (Change ch : changes) {
        JobRecord r = ch.next();
        Long seq;
        if (ch.ends()) {
          seq = nextSeq.merge(r.batchId(), 1L, Long::sum) - 1;
        } else {
          seq = r.state().terminal() && ch.before() != null ? ch.before().endedSeq() : null;
        }
        PreparedStatement ps = ch.before() == null ? insert : update;
        bind(ps, r, seq);
        ps.addBatch();
        if (ch.before() == null) {
          inserts++;
        } else {
          updates++;
        }
        if (r.outcome() != null) {
          for (AttemptRecord a : r.outcome().attemptLog()) {
            bindAttempt(attempts, r.id(), a);
            attempts.addBatch();
            attemptRows++;
          }
        }
      }
      // Jobs before their attempts, which refer to them.
      if (inserts > 0) {
        insert.executeBatch();
      }
      if (updates > 0) {
        update.executeBatch();
      }
      if (attemptRows > 0) {
        attempts.executeBatch();
      }
    }
  }

  private static void bind(PreparedStatement ps, JobRecord r, Long endedSeq) throws SQLException {
    ps.setString(1, r.batchId());
    ps.setInt(2, r.index());
    ps.setString(3, r.state().name());
    ps.setLong(4, r.createdAt().toEpochMilli());
    ps.setLong(5, listKey(r.createdAt(), r.index()));
    if (endedSeq == null) {
      ps.setNull(6, Types.BIGINT);
    } else {
      ps.setLong(6, endedSeq);
    }
    ps.setString(7, RecordJson.write(r));
    ps.setString(8, r.id());
  }

  private static void bindAttempt(PreparedStatement ps, String jobId, AttemptRecord a) throws SQLException {
    WorkerRef w = a.worker();
    ps.setString(1, jobId);
    ps.setInt(2, a.number());
    ps.setString(3, w == null ? null : w.id());
    ps.setString(4, w == null ? null : w.host());
    setLong(ps, 5, w == null ? null : w.pid());
    setLong(ps, 6, a.startedAt() == null ? null : a.startedAt().toEpochMilli());
    setLong(ps, 7, a.endedAt() == null ? null : a.endedAt().toEpochMilli());
    ps.setString(8, a.errorCode());
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  /** A job row as lists read it: its id, its record's JSON, and where it stands in its list or feed. */
  public record Row(String id, String json, long key) {
    /** Where a page that ends with this row leaves off, as {@link Cursor#parse} reads it. */
    public String cursor() {
      return Long.toString(key, 36) + "." + id;
    }
  }

  /** Where a page of a list leaves off: the last row's list key and id. */
  public record Cursor(long key, String id) {
    /** The cursor in {@code text}, which a page gave out; null if it is not one. */
    public static Cursor parse(String text) {
      int dot = text.indexOf('.');
      if (dot < 1 || !text.substring(dot + 1).matches("[a-z0-9-]{1,80}")) {
        return null;
      }
      try {
        return new Cursor(Long.parseLong(text.substring(0, dot), 36), text.substring(dot + 1));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /** The job's record JSON, or null where there is no such job. */
  public static String json(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT record FROM jobs WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  /** Every job, newest first, optionally only those in one state. */
  public static List<Row> all(Connection c, JobState state) throws SQLException {
    String sql = "SELECT id, record, list_key FROM jobs" + (state == null ? "" : " WHERE state = ?")
        + " ORDER BY list_key DESC, id DESC";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (state != null) {
        ps.setString(1, state.name());
      }
      return rows(ps);
    }
  }

  /**
   * At most {@code limit} jobs, newest first, after the one at {@code afterKey}/{@code afterId}
   * (none: from the newest), optionally only those in one state or of one batch.
   */
  public static List<Row> page(Connection c, JobState state, String batchId, Long afterKey, String afterId, int limit)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT id, record, list_key FROM jobs WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (state != null) {
      sql.append(" AND state = ?");
      args.add(state.name());
    }
    if (batchId != null) {
      sql.append(" AND batch_id = ?");
      args.add(batchId);
    }
    if (afterKey != null) {
      sql.append(" AND (list_key, id) < (?, ?)");
      args.add(afterKey);
      args.add(afterId);
    }
    sql.append(" ORDER BY list_key DESC, id DESC LIMIT ?");
    args.add(limit);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      return rows(ps);
    }
  }

  /** The jobs of a batch with {@code from <= index < to}, by index. */
  public static List<Row> ofBatch(Connection c, String batchId, int from, int to) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, record, idx FROM jobs WHERE batch_id = ? AND idx >= ? AND idx < ? ORDER BY idx, id")) {
      ps.setString(1, batchId);
      ps.setInt(2, from);
      ps.setInt(3, to);
      return rows(ps);
    }
  }

  /** At most {@code limit} jobs of a batch that ended after number {@code after}, in the order they ended. */
  public static List<Row> endedSince(Connection c, String batchId, long after, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, record, ended_seq FROM jobs"
        + " WHERE batch_id = ? AND ended_seq > ? ORDER BY ended_seq LIMIT ?")) {
      ps.setString(1, batchId);
      ps.setLong(2, after);
      ps.setInt(3, limit);
      return rows(ps);
    }
  }

  private static List<Row> rows(PreparedStatement ps) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (ResultSet r = ps.executeQuery()) {
      while (r.next()) {
        out.add(new Row(r.getString(1), r.getString(2), r.getLong(3)));
      }
    }
    return out;
  }

  /** The ids of a batch's jobs, by index; only the unfinished ones if so asked. */
  public static List<String> idsOfBatch(Connection c, String batchId, boolean unfinishedOnly) throws SQLException {
    String sql = "SELECT id FROM jobs WHERE batch_id = ?" + (unfinishedOnly ? " AND state IN ('QUEUED', 'RUNNING')" : "")
        + " ORDER BY idx, id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, batchId);
      List<String> ids = new ArrayList<>();
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          ids.add(r.getString(1));
        }
      }
      return ids;
    }
  }

  /** How many of a batch's jobs are in each state; of all jobs for a null batch. */
  public static Map<JobState, Integer> tally(Connection c, String batchId) throws SQLException {
    Map<JobState, Integer> counts = new java.util.EnumMap<>(JobState.class);
    try (PreparedStatement ps = c.prepareStatement(batchId == null ? "SELECT state, COUNT(*) FROM jobs GROUP BY state"
        : "SELECT state, COUNT(*) FROM jobs WHERE batch_id = ? GROUP BY state")) {
      if (batchId != null) {
        ps.setString(1, batchId);
      }
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          counts.put(JobState.valueOf(r.getString(1)), r.getInt(2));
        }
      }
    }
    return counts;
  }

  /** A job's attempts with their workers, by number (times to the millisecond). */
  public static List<AttemptRecord> attempts(Connection c, String jobId) throws SQLException {
    List<AttemptRecord> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT number, worker_id, host, pid, started_ms, ended_ms, error_code"
        + " FROM attempts WHERE job_id = ? ORDER BY number")) {
      ps.setString(1, jobId);
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          String worker = r.getString(2);
          WorkerRef w = worker == null || worker.isBlank() ? null : new WorkerRef(worker, r.getString(3), r.getLong(4));
          out.add(new AttemptRecord(r.getInt(1), w, instant(r, 5), instant(r, 6), r.getString(7)));
        }
      }
    }
    return out;
  }

  private static Instant instant(ResultSet r, int column) throws SQLException {
    long ms = r.getLong(column);
    return r.wasNull() ? null : Instant.ofEpochMilli(ms);
  }
}
