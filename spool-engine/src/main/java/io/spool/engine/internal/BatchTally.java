package io.spool.engine.internal;

/** What one batch workflow saw end; the batch's record is tallied from the job records. */
public record BatchTally(int succeeded, int failed, int cancelled) {
  public static final BatchTally NONE = new BatchTally(0, 0, 0);

  public BatchTally plus(BatchTally o) {
    return new BatchTally(succeeded + o.succeeded, failed + o.failed, cancelled + o.cancelled);
  }
}
