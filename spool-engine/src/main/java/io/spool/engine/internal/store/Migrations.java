package io.spool.engine.internal.store;

import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Flyway, run on a connection of its own to apply the migrations the schema lacks. */
final class Migrations {
  private Migrations() {}

  static void run(Database db) {
    try {
      Flyway.configure(Migrations.class.getClassLoader())
          .dataSource(dataSource(db))
          .locations(Schema.LOCATION)
          .table(Schema.HISTORY)
          .loggers(FlywayLog.class.getName())
          // A PostgreSQL database may hold other tables: Spool's start from an empty history there.
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot bring the job store " + db.where() + " up to date: " + e.getMessage(),
          List.of(), e);
    }
  }

  private static DataSource dataSource(Database db) {
    if (db.isSqlite()) {
      org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
      config.setBusyTimeout(Database.BUSY_TIMEOUT_MILLIS);
      org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource(config);
      ds.setUrl(db.url());
      return ds;
    }
    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setURL(db.url());
    return ds;
  }
}
