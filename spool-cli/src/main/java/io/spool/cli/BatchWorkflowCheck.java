package io.spool.cli;

import io.spool.engine.BatchCheck;
import io.spool.engine.BatchRecord;
import io.spool.engine.JobStore;
import io.spool.engine.TemporalSettings;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the commands that read a batch from the job store: asks the shared service that runs a
 * batch recorded as running whether its workflow still runs, and where it ended without
 * finishing the batch, has it recorded as failed (see {@link BatchCheck}). The check connects at
 * the first batch that needs it and is kept for the next; a check that could not be made (its
 * TLS files cannot be read, say) is not tried again, and the store's word stands.
 */
final class BatchWorkflowCheck implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWorkflowCheck.class);

  private final JobStore store;
  private final Optional<TemporalSettings> named;
  private BatchCheck check;
  private boolean broken;

  /** {@code named}: the service the command was pointed at (with its namespace and TLS settings), if it was. */
  BatchWorkflowCheck(JobStore store, Optional<TemporalSettings> named) {
    this.store = store;
    this.named = named;
  }

  /** Checks batch {@code id} against its workflow where a shared service runs it and it is recorded as running. */
  void check(String id) {
    if (broken) {
      return;
    }
    try {
      if (check == null) {
        Optional<BatchRecord> b = store.batchWithoutJobIds(id);
        if (b.isEmpty() || b.get().state().terminal() || b.get().embedded()) {
          return;
        }
        // The service the command was pointed at (which says whether the batch is its own), else
        // the one the batch names, which is reachable by that name where the host's name resolves.
        check = BatchCheck.of(store, named.orElseGet(() -> TemporalSettings.of(b.get().coordinator())));
      }
      check.check(id);
    } catch (RuntimeException e) {
      broken = check == null;
      LOG.debug("batch {} not checked against its workflow{}", id, broken ? ", nor will be" : " this time", e);
    }
  }

  @Override
  public void close() {
    if (check != null) {
      check.close();
    }
  }
}
