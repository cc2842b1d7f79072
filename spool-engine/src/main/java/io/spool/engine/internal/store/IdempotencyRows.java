package io.spool.engine.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The {@code idempotency_keys} table: which job or batch each request key made. */
public final class IdempotencyRows {
  private IdempotencyRows() {}

  /** A key's row: the hash of the request that claimed it, what it made (null while unanswered), when. */
  public record Row(String requestHash, String targetId, long createdMillis) {}

  public static Row read(Connection c, String forUpdate, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT request_hash, target_id, created_ms FROM idempotency_keys WHERE request_key = ?" + forUpdate)) {
      ps.setString(1, key);
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? new Row(r.getString(1), r.getString(2), r.getLong(3)) : null;
      }
    }
  }

  /** Claims a key no row holds; a request that claimed it meanwhile makes this fail (and PostgreSQL's transaction run again). */
  public static void insert(Connection c, String key, String requestHash, long nowMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO idempotency_keys (request_key, request_hash, target_id, created_ms) VALUES (?, ?, NULL, ?)")) {
      ps.setString(1, key);
      ps.setString(2, requestHash);
      ps.setLong(3, nowMillis);
      ps.executeUpdate();
    }
  }

  /** Claims anew a key whose first request never finished (the row is locked by the caller's read). */
  public static void reclaim(Connection c, String key, long nowMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE idempotency_keys SET target_id = NULL, created_ms = ? WHERE request_key = ?")) {
      ps.setLong(1, nowMillis);
      ps.setString(2, key);
      ps.executeUpdate();
    }
  }

  public static void complete(Connection c, String key, String targetId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE idempotency_keys SET target_id = ? WHERE request_key = ?")) {
      ps.setString(1, targetId);
      ps.setString(2, key);
      ps.executeUpdate();
    }
  }

  public static void remove(Connection c, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_keys WHERE request_key = ?")) {
      ps.setString(1, key);
      ps.executeUpdate();
    }
  }

  public static int removeOlderThan(Connection c, long millis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_keys WHERE created_ms < ?")) {
      ps.setLong(1, millis);
      return ps.executeUpdate();
    }
  }
}
