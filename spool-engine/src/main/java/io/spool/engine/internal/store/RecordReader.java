package io.spool.engine.internal.store;

import io.spool.engine.BatchRecord;
import io.spool.engine.JobRecord;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads records from their rows' JSON, naming a damaged one and its database. Lists skip a
 * damaged record with a warning, once per record for as long as the store is open.
 */
public final class RecordReader {
  private final String where;
  /** The records skipped and warned about. */
  private final Set<String> skipped = ConcurrentHashMap.newKeySet();
  private volatile Consumer<String> warnings;

  public RecordReader(String where, Consumer<String> warnings) {
    this.where = where;
    this.warnings = warnings;
  }

  /** Where the warnings about skipped records (and other notices) go from now on. */
  public void onSkipped(Consumer<String> warn) {
    this.warnings = Objects.requireNonNull(warn, "warn");
  }

  /** A one-line notice, to where the warnings go. */
  public void notice(String message) {
    warnings.accept(message);
  }

  /**
   * The job record in {@code json}.
   *
   * @throws SpoolException {@link ErrorCode#RECORD_DAMAGED} naming the record and the database
   */
  public JobRecord job(String id, String json) {
    return RecordJson.read(json, JobRecord.class, "job record " + id + " in " + where);
  }

  /** The batch record in {@code row}, with the job ids given; damaged: as {@link #job}. */
  public BatchRecord batch(BatchRows.Row row, List<String> jobIds) {
    return BatchRows.read(row, jobIds, where);
  }

  /** The job records of the rows, less the damaged ones. */
  public List<JobRecord> jobs(List<JobRows.Row> rows) {
    List<JobRecord> out = new ArrayList<>(rows.size());
    for (JobRows.Row row : rows) {
      orSkip("job " + row.id(), () -> job(row.id(), row.json())).ifPresent(out::add);
    }
    return out;
  }

  /** The record that {@code read} reads; none, with a warning (once per record), when it is damaged. */
  public <T> Optional<T> orSkip(String key, Supplier<T> read) {
    try {
      return Optional.of(read.get());
    } catch (SpoolException e) {
      if (e.code() != ErrorCode.RECORD_DAMAGED) {
        throw e;
      }
      if (skipped.add(key)) {
        warnings.accept("skipped " + e.getMessage());
      }
      return Optional.empty();
    }
  }
}
