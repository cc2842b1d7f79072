package io.spool.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spool.engine.BatchRecord;
import io.spool.media.internal.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of the {@code batches} table. A batch's record is kept without its job ids: the jobs
 * table knows them (each job's batch and index), so a batch of 100,000 jobs is not a row of
 * 100,000 ids rewritten at every change; reading a batch puts them back.
 */
public final class BatchRows {
  private BatchRows() {}

  /** Writes the batch's row: a new one, or over the one there. */
  public static void put(Connection c, BatchRecord b) throws SQLException {
    ObjectNode json = Json.MAPPER.valueToTree(b);
    json.remove("jobIds");
    String record = RecordJson.write(json);
    try (PreparedStatement update = c.prepareStatement("UPDATE batches SET state = ?, finished = ?, created_ms = ?,"
        + " coordinator = ?, coordinator_pid = ?, record = ? WHERE id = ?")) {
      bind(update, b, record);
      if (update.executeUpdate() > 0) {
        return;
      }
    }
    // A new batch: jobs whose records came first, and ended, keep their places among the ended.
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO batches (state, finished, created_ms, coordinator,"
        + " coordinator_pid, record, id, ended_count)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(ended_seq), 0) FROM jobs WHERE batch_id = ?))")) {
      bind(insert, b, record);
      insert.setString(8, b.id());
      insert.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, BatchRecord b, String record) throws SQLException {
    ps.setString(1, b.state().name());
    ps.setInt(2, b.state().terminal() ? 1 : 0);
    ps.setLong(3, b.createdAt().toEpochMilli());
    ps.setString(4, b.coordinator());
    ps.setLong(5, b.coordinatorPid());
    ps.setString(6, record);
    ps.setString(7, b.id());
  }

  /**
   * Takes the next {@code n} numbers for jobs of the batch that end, and returns the last. Raising
   * the batch row's count locks that row until the transaction commits, so on PostgreSQL two
   * transactions ending jobs of one batch commit their numbers in order, and a reader that has
   * seen number k has seen every number below it. (Without a batch row yet, the numbers follow
   * the highest its jobs have.)
   */
  static long takeEnded(Connection c, String batchId, int n) throws SQLException {
    try (PreparedStatement up = c.prepareStatement("UPDATE batches SET ended_count = ended_count + ? WHERE id = ?")) {
      up.setInt(1, n);
      up.setString(2, batchId);
      if (up.executeUpdate() > 0) {
        try (PreparedStatement q = c.prepareStatement("SELECT ended_count FROM batches WHERE id = ?")) {
          q.setString(1, batchId);
          try (ResultSet r = q.executeQuery()) {
            r.next();
            return r.getLong(1);
          }
        }
      }
    }
    try (PreparedStatement q = c.prepareStatement("SELECT COALESCE(MAX(ended_seq), 0) FROM jobs WHERE batch_id = ?")) {
      q.setString(1, batchId);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getLong(1) + n;
      }
    }
  }

  /** A batch's row as read: its id and its record's JSON, without job ids. */
  public record Row(String id, String json) {}

  /** The batch's row (locked until the transaction ends, given {@code forUpdate}), or null where there is none. */
  public static Row one(Connection c, String id, String forUpdate) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, record FROM batches WHERE id = ?" + forUpdate)) {
      ps.setString(1, id);
      List<Row> rows = rows(ps);
      return rows.isEmpty() ? null : rows.get(0);
    }
  }

  /** Every batch, or the unfinished ones only, newest first. */
  public static List<Row> all(Connection c, boolean unfinishedOnly) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, record FROM batches"
        + (unfinishedOnly ? " WHERE finished = 0" : "") + " ORDER BY created_ms DESC, id DESC")) {
      return rows(ps);
    }
  }

  private static List<Row> rows(PreparedStatement ps) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (ResultSet r = ps.executeQuery()) {
      while (r.next()) {
        out.add(new Row(r.getString(1), r.getString(2)));
      }
    }
    return out;
  }

  /**
   * The batch record in {@code row}, with the job ids given.
   *
   * @throws io.spool.media.SpoolException {@link io.spool.media.ErrorCode#RECORD_DAMAGED} if its JSON cannot be read
   */
  public static BatchRecord read(Row row, List<String> jobIds, String where) {
    String what = "batch record " + row.id() + " in " + where;
    JsonNode tree;
    try {
      tree = row.json() == null || row.json().isBlank() ? null : Json.MAPPER.readTree(row.json());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw RecordJson.damaged(what, e.getOriginalMessage(), e);
    }
    if (!(tree instanceof ObjectNode node)) {
      return RecordJson.read(row.json(), BatchRecord.class, what); // reports what is wrong with it
    }
    ArrayNode ids = node.putArray("jobIds");
    jobIds.forEach(ids::add);
    return RecordJson.read(node, BatchRecord.class, what);
  }
}
