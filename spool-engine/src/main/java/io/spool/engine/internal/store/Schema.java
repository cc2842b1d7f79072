package io.spool.engine.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The store's tables, made and brought up to date by Flyway migrations (in {@code migration/}
 * beside this class). Starting Flyway costs far more than a command that only reads, so the
 * schema's version is read first with one query, and Flyway runs only when it is behind. (This
 * class names nothing of Flyway's, so that a store whose schema is up to date loads none of it.)
 */
final class Schema {
  /** The version of the newest migration; a test checks it against the migration files. */
  static final int LATEST = 21;
  static final String HISTORY = "spool_schema_history";
  static final String LOCATION = "classpath:io/spool/engine/internal/store/migration";

  private Schema() {}

  /** Brings the schema up to date where it is behind; other processes wait meanwhile. */
  static void ensure(Database db) {
    if (db.read(Schema::version) >= LATEST) {
      return;
    }
    HomeLock held = HomeLock.take(db.home());
    try {
      Migrations.run(db);
    } finally {
      held.close();
    }
  }

  /** The newest migration applied, 0 where none has been. */
  static int version(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT version, success FROM " + HISTORY)) {
      int newest = 0;
      while (r.next()) {
        String v = r.getString(1);
        if (r.getBoolean(2) && v != null && v.matches("\\d{1,9}")) {
          newest = Math.max(newest, Integer.parseInt(v));
        }
      }
      return newest;
    } catch (SQLException e) {
      if (noSuchTable(e)) {
        return 0;
      }
      throw e;
    }
  }

  private static boolean noSuchTable(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return "42P01".equals(e.getSQLState()) || m.contains("no such table");
  }
}
