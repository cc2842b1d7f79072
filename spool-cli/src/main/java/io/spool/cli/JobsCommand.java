package io.spool.cli;

import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.BadArgumentException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool jobs ls|show|cancel}: the durable job records under the Spool home. */
@Command(name = "jobs", description = "List, show and cancel jobs.",
    subcommands = {JobsCommand.Ls.class, JobsCommand.Show.class, JobsCommand.Cancel.class})
final class JobsCommand {

  /** The records, with those that a process which is gone left unfinished closed first. */
  static JobStore store(SpoolSubcommand command) {
    JobStore store = command.jobStore();
    store.closeAbandoned();
    return store;
  }

  @Command(name = "ls", description = "List jobs, newest first.")
  static final class Ls extends SpoolSubcommand {
    @Option(names = "--state", paramLabel = "S", description = "Only jobs in this state: queued, running, succeeded, failed, cancelled.")
    String state;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

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
      List<JobRecord> jobs = store(this).jobs(s).stream().limit(limit).toList();
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-32s %-10s %-10s %4s %8s %11s  %s%n",
          "ID", "STATE", "TYPE", "TRY", "SPEED", "COST", "INPUT"));
      for (JobRecord r : jobs) {
        var o = r.outcome();
        sb.append(String.format(Locale.ROOT, "%-32s %-10s %-10s %4s %8s %11s  %s%n", r.id(),
            r.state().name().toLowerCase(Locale.ROOT), r.type(),
            o == null ? "-" : Integer.toString(o.attempts()),
            o == null || o.speed() <= 0 ? "-" : String.format(Locale.ROOT, "%.2fx", o.speed()),
            o == null ? "-" : Units.usd(o.cost().totalUsd()), r.input() == null ? "" : r.input()));
      }
      print(jobs, sb.toString().stripTrailing());
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Show one job's record.")
  static final class Show extends SpoolSubcommand {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      JobRecord r = store(this).requireJob(id);
      String human = Json.write(r);
      print(r, human);
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
      JobStore store = store(this);
      JobRecord r = store.requireJob(id);
      if (r.state().terminal()) {
        print(r, id + " already " + r.state().name().toLowerCase(Locale.ROOT));
        return ExitCodes.OK;
      }
      java.util.Optional<io.spool.engine.TemporalSettings> shared = service.settings();
      if (shared.isPresent() && !store.batch(r.batchId()).map(io.spool.engine.BatchRecord::embedded).orElse(true)) {
        try (io.spool.engine.SpoolEngine engine = startEngine(shared)) {
          engine.cancelJob(id); // told to its batch's workflow at once
        }
      } else {
        store.requestCancel(id); // its coordinator passes it on within a second
      }
      print(java.util.Map.of("id", id, "cancelRequested", true), "cancel requested for " + id + "; its spool process stops it within seconds");
      return ExitCodes.OK;
    }
  }
}
