package io.spool.engine.internal.store;

import io.spool.engine.WebhookDelivery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code webhook_deliveries} and {@code webhook_attempts} tables. */
public final class WebhookRows {
  private static final String COLUMNS = "d.job_id, d.url, d.state, d.attempts, d.next_ms, d.body";

  private WebhookRows() {}

  public static void add(Connection c, List<String> jobIds, String url, long nowMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (job_id, url, state, created_ms)"
        + " VALUES (?, ?, 'WAITING', ?) ON CONFLICT (job_id) DO NOTHING")) {
      for (String id : jobIds) {
        ps.setString(1, id);
        ps.setString(2, url);
        ps.setLong(3, nowMillis);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * The deliveries due now and held by no one: waiting ones whose job has ended, pending ones
   * whose next attempt is due; each is leased to the caller until {@code leaseUntil}.
   */
  public static List<WebhookDelivery> takeDue(Connection c, String forUpdate, long nowMillis, long leaseUntil, int max)
      throws SQLException {
    List<WebhookDelivery> due = new ArrayList<>();
    String ended = "SELECT " + COLUMNS + " FROM webhook_deliveries d JOIN jobs j ON j.id = d.job_id"
        + " WHERE d.state = 'WAITING' AND j.state IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND d.lease_ms < ?"
        + " ORDER BY d.created_ms LIMIT ?";
    String pending = "SELECT " + COLUMNS + " FROM webhook_deliveries d WHERE d.state = 'PENDING' AND d.next_ms <= ?"
        + " AND d.lease_ms < ? ORDER BY d.next_ms LIMIT ?";
    try (PreparedStatement ps = c.prepareStatement(ended + (forUpdate.isEmpty() ? "" : " FOR UPDATE OF d SKIP LOCKED"))) {
      ps.setLong(1, nowMillis);
      ps.setInt(2, max);
      read(ps, due);
    }
    try (PreparedStatement ps = c.prepareStatement(pending + (forUpdate.isEmpty() ? "" : " FOR UPDATE SKIP LOCKED"))) {
      ps.setLong(1, nowMillis);
      ps.setLong(2, nowMillis);
      ps.setInt(3, Math.max(0, max - due.size()));
      read(ps, due);
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET lease_ms = ? WHERE job_id = ?")) {
      for (WebhookDelivery d : due) {
        ps.setLong(1, leaseUntil);
        ps.setString(2, d.jobId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return due;
  }

  private static void read(PreparedStatement ps, List<WebhookDelivery> into) throws SQLException {
    try (ResultSet r = ps.executeQuery()) {
      while (r.next()) {
        into.add(new WebhookDelivery(r.getString(1), r.getString(2), WebhookDelivery.State.valueOf(r.getString(3)), r.getInt(4),
            Instant.ofEpochMilli(r.getLong(5)), r.getString(6), List.of()));
      }
    }
  }

  /** Records an attempt and where the delivery stands after it; the lease ends. */
  public static void record(Connection c, String jobId, WebhookDelivery.Attempt a, String body, WebhookDelivery.State state,
      long nextMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_attempts (job_id, number, at_ms, status, latency_ms,"
        + " error) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, jobId);
      ps.setInt(2, a.number());
      ps.setLong(3, a.at().toEpochMilli());
      if (a.status() == null) {
        ps.setNull(4, Types.INTEGER);
      } else {
        ps.setInt(4, a.status());
      }
      ps.setLong(5, a.latencyMillis());
      ps.setString(6, a.error());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET state = ?, attempts = ?, next_ms = ?,"
        + " lease_ms = 0, body = ? WHERE job_id = ?")) {
      ps.setString(1, state.name());
      ps.setInt(2, a.number());
      ps.setLong(3, nextMillis);
      ps.setString(4, body);
      ps.setString(5, jobId);
      ps.executeUpdate();
    }
  }

  /** A job's delivery with its attempts, or null. */
  public static WebhookDelivery of(Connection c, String jobId) throws SQLException {
    List<WebhookDelivery> found = new ArrayList<>(1);
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook_deliveries d WHERE d.job_id = ?")) {
      ps.setString(1, jobId);
      read(ps, found);
    }
    if (found.isEmpty()) {
      return null;
    }
    List<WebhookDelivery.Attempt> log = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT number, at_ms, status, latency_ms, error FROM webhook_attempts"
        + " WHERE job_id = ? ORDER BY number")) {
      ps.setString(1, jobId);
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          int status = r.getInt(3);
          Integer s = r.wasNull() ? null : status;
          log.add(new WebhookDelivery.Attempt(r.getInt(1), Instant.ofEpochMilli(r.getLong(2)), s, r.getLong(4), r.getString(5)));
        }
      }
    }
    WebhookDelivery d = found.get(0);
    return new WebhookDelivery(d.jobId(), d.url(), d.state(), d.attempts(), d.nextAttemptAt(), d.body(), log);
  }
}
