package io.spool.engine;

import io.spool.engine.internal.ServiceWorkflow;
import io.spool.engine.internal.TemporalConnection;
import io.spool.engine.internal.WorkflowState;
import io.spool.media.ErrorCode;
import java.util.Optional;

/**
 * Checks batches that the job store records as running against the workflows of the shared
 * service that runs them, for a process that only reads the store (a {@code batch wait}, say):
 * where a batch's workflow ended before its jobs did (it failed for good, or was terminated), the
 * batch and its unfinished jobs are recorded as failed ({@link ErrorCode#BATCH_FAILED}), so that no
 * one waits for it. It holds one client connection to the service, made at the first check that
 * needs it, and nothing else: no engine, no workers, no probe of this host.
 */
public final class BatchCheck implements AutoCloseable {
  private final JobStore store;
  private final TemporalSettings service;
  private TemporalConnection connection;
  /** The service's name, once asked (see {@link ServiceWorkflow}): empty where no coordinator answered. */
  private Optional<String> name;
  /** Why the connection could not be made, once it could not: it is not tried again. */
  private RuntimeException unreachable;

  private BatchCheck(JobStore store, TemporalSettings service) {
    this.store = store;
    this.service = service;
  }

  /** Checks the batches of {@code service} whose records are in {@code store}. */
  public static BatchCheck of(JobStore store, TemporalSettings service) {
    return new BatchCheck(java.util.Objects.requireNonNull(store, "store"), java.util.Objects.requireNonNull(service, "service"));
  }

  /**
   * The batch's record (without its job ids), checked first where it is recorded as running on
   * this check's service (under the name the service gives itself, or an address of it: see
   * {@link ServiceWorkflow}); batches of other services and embedded ones are not checked.
   *
   * @throws io.spool.media.SpoolException where the connection cannot be made (its TLS files
   *     cannot be read, say); later checks then return the record unchecked. A service that
   *     does not answer leaves the record as it is.
   */
  public synchronized Optional<BatchRecord> check(String batchId) {
    Optional<BatchRecord> b = store.batchWithoutJobIds(batchId);
    if (b.isEmpty() || b.get().state().terminal() || b.get().embedded()) {
      return b;
    }
    if (connection == null) {
      if (unreachable != null) {
        return b;
      }
      try {
        connection = TemporalConnection.to(service, WorkerRef.thisProcess("check").identity());
      } catch (RuntimeException e) {
        unreachable = e;
        throw e;
      }
    }
    if (name == null || name.isEmpty()) {
      name = ServiceWorkflow.nameOf(connection.client()); // kept once known; asked again while unknown (a restarting service)
    }
    String c = b.get().coordinator();
    if (!name.map(c::equals).orElse(false) && !Coordinator.sameService(c, Coordinator.nameOf(service))) {
      return b; // another service's batch
    }
    return failIfEnded(store, connection.client(), batchId, Coordinator.where(b.get())).or(() -> b);
  }

  /**
   * Where the workflow of batch {@code batchId} has ended without finishing it, records the batch
   * as failed and returns its record as it is now; empty otherwise (it runs, it completed, the
   * service lost it or does not answer). {@code where}: the shared service, or null when embedded.
   */
  static Optional<BatchRecord> failIfEnded(JobStore store, io.temporal.client.WorkflowClient client, String batchId,
      String where) {
    WorkflowState.Seen w = WorkflowState.of(client, batchId);
    if (w.state() != WorkflowState.ENDED_UNFINISHED) {
      return Optional.empty(); // running, ending now, lost with a restarted service (whose coordinator starts it again), or unknown
    }
    return store.failBatch(batchId, ErrorCode.BATCH_FAILED, w.batchFailure(where));
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
