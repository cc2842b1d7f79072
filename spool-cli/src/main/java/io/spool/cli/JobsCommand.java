package io.spool.cli;

import io.spool.engine.AttemptRecord;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.BadArgumentException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool jobs ls|show|cancel}: the durable job records of the Spool home's store. */
@Command(name = "jobs", description = "List, show and cancel jobs.",
    subcommands = {JobsCommand.Ls.class, JobsCommand.Show.class, JobsCommand.Cancel.class})
final class JobsCommand {

  /** The records, with those that a process which is gone left unfinished closed first. */
  static JobStore store(SpoolSubcommand command) {
    JobStore store = command.jobStore();
    try {
      store.closeAbandoned();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  @Command(name = "ls", description = "List jobs, newest first, a page at a time.")
  static final class Ls extends SpoolSubcommand {
    @Option(names = "--state", paramLabel = "S", description = "Only jobs in this state: queued, running, succeeded, failed, cancelled.")
    String state;

    @Option(names = "--batch", paramLabel = "ID", description = "Only the jobs of this batch.")
    String batch;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--cursor", paramLabel = "C", description = "Go on from where the page before ended (it prints its cursor).")
    String cursor;

    /** What {@code --json} prints: the page's jobs and the cursor of the next page (null after the last). */
    record Listing(List<JobRecord> jobs, String nextCursor) {}

    @Override
    public Integer call() {
      JobState s = null;
      if (state != null) {
        try {
          s = JobState.valueOf(state.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new BadArgumentException("unknown state '" + state + "'; use queued, running, succeeded, failed or cancelled");
        }
      }
      JobStore.JobQuery query = new JobStore.JobQuery(s, batch, limit, cursor);
      JobStore.Page page;
      try (JobStore store = store(this)) {
        page = store.jobs(query);
      }
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-32s %-10s %-10s %4s %8s %11s  %s%n",
          "ID", "STATE", "TYPE", "TRY", "SPEED", "COST", "INPUT"));
      for (JobRecord r : page.jobs()) {
        var o = r.outcome();
        sb.append(String.format(Locale.ROOT, "%-32s %-10s %-10s %4s %8s %11s  %s%n", r.id(),
            r.state().name().toLowerCase(Locale.ROOT), r.type(),
            o == null ? "-" : Integer.toString(o.attempts()),
            o == null || o.speed() <= 0 ? "-" : String.format(Locale.ROOT, "%.2fx", o.speed()),
            o == null ? "-" : Units.usd(o.cost().totalUsd()), r.input() == null ? "" : r.input()));
      }
      if (page.nextCursor() != null) {
        sb.append("more: --cursor ").append(page.nextCursor()).append('\n');
      }
      print(new Listing(page.jobs(), page.nextCursor()), sb.toString().stripTrailing());
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Show one job's record and its attempts with the workers that ran them.")
  static final class Show extends SpoolSubcommand {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      JobRecord r;
      List<AttemptRecord> attempts;
      try (JobStore store = store(this)) {
        r = store.requireJob(id);
        attempts = store.attempts(id);
      }
      StringBuilder human = new StringBuilder(Json.write(r));
      for (AttemptRecord a : attempts) {
        human.append(String.format(Locale.ROOT, "%nattempt %d: %s, started %s, %s", a.number(),
            a.worker() == null ? "worker unknown" : "worker " + a.worker(), a.startedAt(),
            a.endedAt() == null ? "its worker went silent" : "ended " + a.endedAt() + (a.errorCode() == null ? "" : " " + a.errorCode())));
      }
      com.fasterxml.jackson.databind.node.ObjectNode json = Json.MAPPER.valueToTree(r);
      json.set("attempts", Json.MAPPER.valueToTree(attempts));
      print(json, human.toString());
      return ExitCodes.OK;
    }
  }

  @Command(name = "cancel", description = "Cancel a queued or running job; its ffmpeg is ended and nothing is published.")
  static final class Cancel extends SpoolSubcommand {
    @Parameters(paramLabel = "ID")
    String id;

    @picocli.CommandLine.Mixin ServiceOptions service;

    @Override
    public Integer call() {
      java.util.Optional<io.spool.engine.TemporalSettings> shared = service.settings();
      try (JobStore store = store(this)) {
        JobRecord r = store.requireJob(id);
        if (r.state().terminal()) {
          print(r, id + " already " + r.state().name().toLowerCase(Locale.ROOT));
          return ExitCodes.OK;
        }
        if (shared.isPresent() && !store.batchWithoutJobIds(r.batchId()).map(io.spool.engine.BatchRecord::embedded).orElse(true)) {
          try (io.spool.engine.SpoolEngine engine = startEngine(shared)) {
            engine.cancelJob(id); // told to its batch's workflow at once
          }
        } else {
          store.requestCancel(id); // its coordinator passes it on within a second
        }
      }
      print(Map.of("id", id, "cancelRequested", true), "cancel requested for " + id + "; its spool process stops it within seconds");
      return ExitCodes.OK;
    }
  }
}
