package io.spool.engine.internal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** What differs between the two databases the store runs on: connecting, and how a write begins. */
enum Dialect {
  /**
   * A file in the Spool home, shared by the processes of one host. WAL lets readers go on while
   * one process writes; a write begins with {@code BEGIN IMMEDIATE}, which takes the write lock
   * before reading, so a read-modify-write never has to be undone for a lock it cannot get, and
   * waits (the busy timeout) while another process holds it.
   */
  SQLITE {
    @Override
    Connection connect(String url, Path file) throws SQLException {
      org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
      config.setBusyTimeout(Database.BUSY_TIMEOUT_MILLIS);
      config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
      // In WAL mode a commit can be lost to a power cut, never half-applied; every commit need
      // not wait for the disk.
      config.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.NORMAL);
      config.enforceForeignKeys(true);
      // Made directly rather than through DriverManager, whose start looks for drivers in every jar.
      return new org.sqlite.jdbc4.JDBC4Connection(url, file.toString(), config.toProperties());
    }

    @Override
    void begin(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
      }
    }

    @Override
    void commit(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("COMMIT");
      }
    }

    @Override
    void rollback(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("ROLLBACK");
      }
    }

    @Override
    String forUpdate() {
      return ""; // the whole database is locked for writing from BEGIN IMMEDIATE on
    }

    @Override
    boolean retryable(SQLException e) {
      return false; // the busy timeout has waited already
    }
  },

  /**
   * A server shared by a cluster. A read-modify-write locks its rows ({@code SELECT ... FOR
   * UPDATE}); a transaction that loses a deadlock or a race to insert the same row is run again.
   */
  POSTGRESQL {
    @Override
    Connection connect(String url, Path file) throws SQLException {
      Properties p = new Properties();
      if (!url.contains("reWriteBatchedInserts")) {
        p.setProperty("reWriteBatchedInserts", "true"); // a submit's thousands of rows in few statements
      }
      p.setProperty("ApplicationName", "spool");
      Connection c = new org.postgresql.Driver().connect(url, p);
      if (c == null) {
        throw new SQLException("not a PostgreSQL URL");
      }
      return c;
    }

    @Override
    void begin(Connection c) throws SQLException {
      c.setAutoCommit(false);
    }

    @Override
    void commit(Connection c) throws SQLException {
      c.commit();
      c.setAutoCommit(true);
    }

    @Override
    void rollback(Connection c) throws SQLException {
      c.rollback();
      c.setAutoCommit(true);
    }

    @Override
    String forUpdate() {
      return " FOR UPDATE";
    }

    @Override
    boolean retryable(SQLException e) {
      String state = e.getSQLState();
      return "40001".equals(state) || "40P01".equals(state) || "23505".equals(state);
    }
  };

  abstract Connection connect(String url, Path file) throws SQLException;

  abstract void begin(Connection c) throws SQLException;

  abstract void commit(Connection c) throws SQLException;

  abstract void rollback(Connection c) throws SQLException;

  /** What a SELECT ends with to lock the rows it reads until the transaction ends. */
  abstract String forUpdate();

  /** Whether running the whole transaction again can succeed. */
  abstract boolean retryable(SQLException e);
}
