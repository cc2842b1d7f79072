/**
 * The job store's implementation: the database connection and its transactions, the schema and
 * its migrations, the SQL of job, batch and attempt rows, the import of the old record files.
 * Not public API; use {@link io.spool.engine.JobStore}.
 */
package io.spool.engine.internal.store;
