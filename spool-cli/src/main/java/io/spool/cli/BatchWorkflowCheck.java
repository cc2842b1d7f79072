package io.spool.cli;

import io.spool.engine.BatchRecord;
import io.spool.engine.SpoolEngine;
import io.spool.engine.TemporalSettings;
import java.util.Optional;

/**
 * For the commands that read a batch from the job store: asks the shared service that runs a
 * batch recorded as running whether its workflow still runs, and where it ended without
 * finishing the batch, has it recorded as failed (see {@link SpoolEngine#checkedBatch}). The
 * connection is made at the first batch that needs it and kept for the next checks.
 */
final class BatchWorkflowCheck implements AutoCloseable {
  private final SpoolSubcommand command;
  private final Optional<TemporalSettings> named;
  private SpoolEngine engine;

  /** {@code named}: the service the command was pointed at, whose settings (namespace, TLS) serve its own batches. */
  BatchWorkflowCheck(SpoolSubcommand command, Optional<TemporalSettings> named) {
    this.command = command;
    this.named = named;
  }

  /** Checks {@code b} against its workflow where a shared service runs it and it is recorded as running. */
  void check(BatchRecord b) {
    if (b.state().terminal() || b.embedded()) {
      return;
    }
    try {
      if (engine == null) {
        engine = command.startEngine(Optional.of(named.filter(s -> s.target().equals(b.coordinator()))
            .orElseGet(() -> TemporalSettings.of(b.coordinator()))));
      }
      engine.checkedBatch(b.id());
    } catch (RuntimeException e) {
      // the service does not answer now: the store's word stands
    }
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
  }
}
