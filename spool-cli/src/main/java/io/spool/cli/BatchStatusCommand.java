package io.spool.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.spool.engine.BatchRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.BadArgumentException;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spool batch status ID}: where a batch stands, from the job store, whichever process runs it. */
@Command(name = "status", description = "Show a batch's state and how many of its jobs are in each state.")
final class BatchStatusCommand extends SpoolSubcommand {
  @Parameters(paramLabel = "ID", description = "The batch id (printed by batch transcode, also with --detach).")
  String id;

  @picocli.CommandLine.Mixin ServiceOptions service;

  /**
   * The JSON result; {@code errorCode} and {@code error} say why a batch failed as a whole (its
   * workflow ended before its jobs did), null otherwise; {@code costUsd} is that of the jobs
   * ended so far; {@code timedOut}, only from {@code batch wait}, whether it gave up waiting.
   */
  record Status(String id, String type, String state, int total, Map<String, Integer> jobs, double costUsd,
      String coordinator, java.time.Instant createdAt, java.time.Instant finishedAt, String errorCode, String error,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean timedOut) {
    Status withTimedOut(boolean t) {
      return new Status(id, type, state, total, jobs, costUsd, coordinator, createdAt, finishedAt, errorCode, error, t);
    }

    /** The same where the batch has not ended, with the cost of its jobs that have (its record counts only at the end). */
    Status withCostSoFar(JobStore store) {
      if (!state.equals("queued") && !state.equals("running")) {
        return this;
      }
      double cost = 0;
      long cursor = 0;
      while (true) {
        JobStore.Ended ended = store.endedSince(id, cursor);
        if (ended.jobs().isEmpty()) {
          break;
        }
        for (io.spool.engine.JobRecord r : ended.jobs()) {
          cost += r.outcome() == null ? 0 : r.outcome().cost().totalUsd();
        }
        cursor = ended.cursor();
      }
      return new Status(id, type, state, total, jobs, cost, coordinator, createdAt, finishedAt, errorCode, error, timedOut);
    }

    String human() {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %s: %s, %s", id, type, state,
          Units.count(total, "job")));
      jobs.forEach((s, n) -> sb.append(String.format(Locale.ROOT, ", %d %s", n, s)));
      if (costUsd > 0) {
        sb.append(", cost ").append(Units.usd(costUsd));
      }
      if (errorCode != null) {
        sb.append("; ").append(errorCode).append(": ").append(error);
      }
      return sb.toString();
    }
  }

  static Status status(JobStore store, String id) {
    BatchRecord b = store.batch(id).orElseThrow(() -> new BadArgumentException("no batch with id " + id));
    Map<String, Integer> jobs = new java.util.LinkedHashMap<>();
    Map<JobState, Integer> tally = store.tally(id);
    for (JobState s : JobState.values()) {
      if (tally.getOrDefault(s, 0) > 0) {
        jobs.put(s.name().toLowerCase(Locale.ROOT), tally.get(s));
      }
    }
    return new Status(b.id(), b.type(), b.state().name().toLowerCase(Locale.ROOT), b.jobIds().size(), jobs,
        b.cost().totalUsd(), b.coordinator(), b.createdAt(), b.finishedAt(), b.errorCode(), b.error(), null);
  }

  @Override
  public Integer call() {
    Status s;
    try (JobStore store = JobsCommand.store(this); BatchWorkflowCheck check = new BatchWorkflowCheck(this, service.settings())) {
      store.batch(id).ifPresent(check::check);
      s = status(store, id).withCostSoFar(store);
    }
    print(s, s.human());
    return ExitCodes.OK;
  }
}
