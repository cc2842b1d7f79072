package io.spool.engine.internal.store;

import io.spool.engine.WorkerRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The {@code workers} table: the media workers of a shared service and when each was last seen. */
public final class WorkerRows {
  private WorkerRows() {}

  /** Writes the worker's row, over one of the same id. */
  public static void put(Connection c, WorkerRecord w) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO workers (id, host, pid, queues, cpu, memory_mib, gpu_encode,"
        + " started_ms, last_seen_ms, stopped_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
        + " host = excluded.host, pid = excluded.pid, queues = excluded.queues, cpu = excluded.cpu,"
        + " memory_mib = excluded.memory_mib, gpu_encode = excluded.gpu_encode, started_ms = excluded.started_ms,"
        + " last_seen_ms = excluded.last_seen_ms, stopped_ms = excluded.stopped_ms")) {
      ps.setString(1, w.id());
      ps.setString(2, w.host());
      ps.setLong(3, w.pid());
      ps.setString(4, String.join(",", w.queues()));
      ps.setInt(5, w.cpu());
      ps.setInt(6, w.memoryMiB());
      ps.setInt(7, w.gpuEncode() ? 1 : 0);
      ps.setLong(8, w.startedAt().toEpochMilli());
      ps.setLong(9, w.lastSeen().toEpochMilli());
      if (w.stoppedAt() == null) {
        ps.setNull(10, Types.BIGINT);
      } else {
        ps.setLong(10, w.stoppedAt().toEpochMilli());
      }
      ps.executeUpdate();
    }
  }

  /** Sets a running worker's last sighting; false where it has no row, or one marked stopped. */
  public static boolean seen(Connection c, String id, long atMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE workers SET last_seen_ms = ? WHERE id = ? AND stopped_ms IS NULL")) {
      ps.setLong(1, atMillis);
      ps.setString(2, id);
      return ps.executeUpdate() > 0;
    }
  }

  public static void stopped(Connection c, String id, long atMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE workers SET last_seen_ms = ?, stopped_ms = ? WHERE id = ?")) {
      ps.setLong(1, atMillis);
      ps.setLong(2, atMillis);
      ps.setString(3, id);
      ps.executeUpdate();
    }
  }

  /** Forgets the workers last seen before {@code beforeMillis}. */
  public static void forget(Connection c, long beforeMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM workers WHERE last_seen_ms < ?")) {
      ps.setLong(1, beforeMillis);
      ps.executeUpdate();
    }
  }

  /** The workers last seen at or after {@code sinceMillis}, the most recently seen first. */
  public static List<WorkerRecord> since(Connection c, long sinceMillis) throws SQLException {
    List<WorkerRecord> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, host, pid, queues, cpu, memory_mib, gpu_encode, started_ms,"
        + " last_seen_ms, stopped_ms FROM workers WHERE last_seen_ms >= ? ORDER BY last_seen_ms DESC, id")) {
      ps.setLong(1, sinceMillis);
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          String queues = r.getString(4);
          long stopped = r.getLong(10);
          Instant stoppedAt = r.wasNull() ? null : Instant.ofEpochMilli(stopped);
          out.add(new WorkerRecord(r.getString(1), r.getString(2), r.getLong(3),
              queues.isEmpty() ? List.of() : Arrays.asList(queues.split(",")), r.getInt(5), r.getInt(6), r.getInt(7) != 0,
              Instant.ofEpochMilli(r.getLong(8)), Instant.ofEpochMilli(r.getLong(9)), stoppedAt));
        }
      }
    }
    return out;
  }
}
