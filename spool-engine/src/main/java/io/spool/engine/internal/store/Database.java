package io.spool.engine.internal.store;

import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The job store's one connection, opened at first use (and again after {@link #close} or a lost
 * connection), and the transactions on it. Threads of one process take turns on the connection;
 * processes are kept apart by the database itself (see {@link Dialect}).
 */
public final class Database implements AutoCloseable {
  /** How long a write waits while another process writes, before it fails. */
  static final int BUSY_TIMEOUT_MILLIS = 30_000;
  /** Runs of a PostgreSQL transaction that lost a deadlock or a race, at most. */
  private static final int TRIES = 5;

  /** Work on the connection; it may throw {@link SQLException}. */
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final Dialect dialect;
  private final String url;
  /** The SQLite file; null for PostgreSQL. */
  private final Path file;
  private final String where;
  private final Path home;
  /** Where the notices of {@link LegacyFiles} go. */
  private volatile Consumer<String> notices = message -> {};
  private final ReentrantLock lock = new ReentrantLock();
  private Connection connection; // guarded by lock

  private Database(Dialect dialect, String url, Path file, String where, Path home) {
    this.dialect = dialect;
    this.url = url;
    this.file = file;
    this.where = where;
    this.home = home;
  }

  /**
   * The database at {@code jdbcUrl} ({@code jdbc:postgresql:...} or {@code jdbc:sqlite:FILE}),
   * or where it is null or blank, the SQLite file {@code spool.db} in {@code home}. Nothing is
   * opened until the first read or write; then the schema is brought up to date and the old
   * record files in {@code home} are imported, with a notice (see {@link #onNotice}) for each
   * that cannot be.
   */
  public static Database open(Path home, String jdbcUrl) {
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      Path file = home.resolve("spool.db");
      return new Database(Dialect.SQLITE, "jdbc:sqlite:" + file, file, file.toString(), home);
    }
    String u = jdbcUrl.strip();
    if (u.startsWith("jdbc:postgresql:")) {
      return new Database(Dialect.POSTGRESQL, u, null, withoutSecrets(u), home);
    }
    if (u.startsWith("jdbc:sqlite:") && !u.contains("?") && !u.contains(":memory:")) {
      Path file = Path.of(u.substring("jdbc:sqlite:".length())).toAbsolutePath();
      return new Database(Dialect.SQLITE, "jdbc:sqlite:" + file, file, file.toString(), home);
    }
    throw new BadArgumentException("the job store's database must be a jdbc:postgresql: URL or jdbc:sqlite:FILE, not '"
        + withoutSecrets(u) + "'");
  }

  /** The URL as it may be shown: no query (where a password may be) and no user information. */
  private static String withoutSecrets(String url) {
    int q = url.indexOf('?');
    String s = q < 0 ? url : url.substring(0, q);
    return s.replaceAll("//[^/@]*@", "//");
  }

  /** Where the one-line notices go of old record files that cannot be imported. */
  public void onNotice(Consumer<String> notice) {
    this.notices = notice;
  }

  /** The database as messages name it: the SQLite file, or the PostgreSQL URL without secrets. */
  public String where() {
    return where;
  }

  public boolean isSqlite() {
    return dialect == Dialect.SQLITE;
  }

  /** The Spool home, where the lock that keeps migrations and imports apart lives. */
  Path home() {
    return home;
  }

  String url() {
    return url;
  }

  /** What a SELECT ends with to lock its rows until the transaction ends. */
  public String forUpdate() {
    return dialect.forUpdate();
  }

  /** Runs {@code work} with no transaction of its own: each statement sees what is committed. */
  public <T> T read(Work<T> work) {
    lock.lock();
    try {
      return work.run(connection());
    } catch (SQLException e) {
      throw failure(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code work} as one transaction: all of it is committed or none. On PostgreSQL a
   * transaction that lost a deadlock or a race to insert is run again, so {@code work} must not
   * act outside the database.
   */
  public <T> T write(Work<T> work) {
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        Connection c = connection();
        dialect.begin(c);
        try {
          T result = work.run(c);
          dialect.commit(c);
          return result;
        } catch (SQLException e) {
          rollback(c, e);
          if (attempt < TRIES && dialect.retryable(e)) {
            continue;
          }
          throw e;
        } catch (RuntimeException | Error e) {
          rollback(c, e);
          throw e;
        }
      }
    } catch (SQLException e) {
      throw failure(e);
    } finally {
      lock.unlock();
    }
  }

  private void rollback(Connection c, Throwable cause) {
    try {
      dialect.rollback(c);
    } catch (SQLException e) {
      cause.addSuppressed(e);
      drop();
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      if (file != null) {
        try {
          Files.createDirectories(file.getParent());
        } catch (IOException e) {
          throw new SpoolException(ErrorCode.IO_ERROR, "cannot create " + file.getParent() + ": " + e.getMessage(), List.of(), e);
        }
      }
      connection = dialect.connect(url, file);
      try {
        Schema.ensure(this);
        LegacyFiles.importInto(this, home, notices);
      } catch (RuntimeException | Error e) {
        drop();
        throw e;
      }
    }
    return connection;
  }

  /** A failure of the database as Spool reports it; a connection that broke is opened anew next time. */
  private SpoolException failure(SQLException e) {
    String state = e.getSQLState();
    if (state != null && state.startsWith("08")) {
      drop();
    }
    String why = e.getMessage() == null ? e.toString() : e.getMessage();
    if (why.contains("[SQLITE_BUSY]")) {
      why = "another process held it locked for " + BUSY_TIMEOUT_MILLIS / 1000 + " s (" + why + ")";
    }
    return new SpoolException(ErrorCode.IO_ERROR, "job store " + where + ": " + why, List.of(), e);
  }

  private void drop() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // gone already
      }
    }
  }

  /** Closes the connection; a later call opens it again. */
  @Override
  public void close() {
    lock.lock();
    try {
      drop();
    } finally {
      lock.unlock();
    }
  }
}
