package io.spool.engine;

import io.spool.engine.internal.BatchStart;
import java.util.List;

/**
 * A batch checked, routed and planned by {@link SpoolEngine#prepare}, with its ids, whose records
 * are not written yet ({@link SpoolEngine#record}) and whose workflow has not started
 * ({@link SpoolEngine#start}).
 */
public final class PreparedBatch {
  /** What a failure to start it calls it: a batch, or a job. */
  final String what;
  final BatchRecord batch;
  final List<JobRecord> records;
  final BatchStart start;

  PreparedBatch(String what, BatchRecord batch, List<JobRecord> records, BatchStart start) {
    this.what = what;
    this.batch = batch;
    this.records = List.copyOf(records);
    this.start = start;
  }

  public String id() {
    return batch.id();
  }

  public List<String> jobIds() {
    return batch.jobIds();
  }

  /** The records of its jobs as they will be written, in order. */
  public List<JobRecord> records() {
    return records;
  }
}
