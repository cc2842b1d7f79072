package io.spool.engine;

/**
 * The job store on a real PostgreSQL server, as a cluster shares it; never skipped: where
 * PostgreSQL cannot start, every test fails saying why.
 */
class PostgresJobStoreTest extends JobStoreContract {
  @Override
  String newDatabaseUrl() throws Exception {
    return TestPostgres.newDatabaseUrl();
  }
}
