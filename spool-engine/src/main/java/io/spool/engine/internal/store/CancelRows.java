package io.spool.engine.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code cancel_requests} table: jobs someone asked to stop, empty most of the time. */
public final class CancelRows {
  private CancelRows() {}

  public static void add(Connection c, String jobId, long nowMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO cancel_requests (job_id, requested_ms) VALUES (?, ?) ON CONFLICT (job_id) DO NOTHING")) {
      ps.setString(1, jobId);
      ps.setLong(2, nowMillis);
      ps.executeUpdate();
    }
  }

  public static Set<String> all(Connection c) throws SQLException {
    Set<String> ids = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT job_id FROM cancel_requests");
        ResultSet r = ps.executeQuery()) {
      while (r.next()) {
        ids.add(r.getString(1));
      }
    }
    return ids;
  }

  public static List<String> ofBatch(Connection c, String batchId) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT r.job_id FROM cancel_requests r JOIN jobs j ON j.id = r.job_id"
        + " WHERE j.batch_id = ? ORDER BY r.job_id")) {
      ps.setString(1, batchId);
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          ids.add(r.getString(1));
        }
      }
    }
    return ids;
  }

  public static void remove(Connection c, String jobId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM cancel_requests WHERE job_id = ?")) {
      ps.setString(1, jobId);
      ps.executeUpdate();
    }
  }
}
