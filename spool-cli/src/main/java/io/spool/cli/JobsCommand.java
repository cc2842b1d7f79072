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
      java.util.Optional<String> waiting = java.util.Optional.empty();
      try (JobStore store = store(this)) {
        r = store.requireJob(id);
        attempts = store.attempts(id);
        if (r.resources().gpuRequired() && !r.state().terminal() && attempts.isEmpty()) {
          java.time.Instant now = java.time.Instant.now();
          waiting = io.spool.engine.WorkerRecord.gpuWait(store.workers(now.minus(io.spool.engine.WorkerRecord.LIVE_WITHIN)), now);
        }
      }
      StringBuilder human = new StringBuilder(human(r));
      for (AttemptRecord a : attempts) {
        human.append(String.format(Locale.ROOT, "%nattempt %d: %s, started %s, %s", a.number(),
            a.worker() == null ? "worker unknown" : "worker " + a.worker(), a.startedAt(),
            a.endedAt() == null ? "its worker went silent" : "ended " + a.endedAt() + (a.errorCode() == null ? "" : " " + a.errorCode())));
      }
      waiting.ifPresent(w -> human.append(System.lineSeparator()).append(w));
      com.fasterxml.jackson.databind.node.ObjectNode json = Json.MAPPER.valueToTree(r);
      json.set("attempts", Json.MAPPER.valueToTree(attempts));
      waiting.ifPresent(w -> json.put("waiting", w));
      print(json, human.toString());
      return ExitCodes.OK;
    }

    /** The record for people: a headline, then a labelled line per field that has a value. */
    static String human(JobRecord r) {
      io.spool.engine.JobOutcome o = r.outcome();
      StringBuilder sb = new StringBuilder(r.id()).append(": ").append(r.type()).append(", ")
          .append(r.state().name().toLowerCase(Locale.ROOT));
      if (o != null && o.attempts() > 1) {
        sb.append(" after ").append(Units.count(o.attempts(), "attempt"));
      }
      line(sb, "input", r.input());
      line(sb, "output", r.output());
      line(sb, "batch", r.batchId() == null ? null : r.batchId() + " (item " + r.index() + ")");
      io.spool.engine.Resources res = r.resources();
      line(sb, "resources", Units.count(res.cpu(), "core") + ", " + res.memoryMiB() + " MiB, gpu " + res.gpu() + ", timeout "
          + Units.duration(res.timeout()) + ", " + res.retries().maxRetries()
          + (res.retries().maxRetries() == 1 ? " retry" : " retries") + " at most (queue " + res.queue() + ")");
      line(sb, "created", String.valueOf(r.createdAt()));
      line(sb, "started", r.startedAt() == null ? null : r.startedAt().toString());
      if (o != null) {
        line(sb, "finished", o.finishedAt() == null ? null : o.finishedAt().toString());
        line(sb, "error", o.errorCode() == null ? null : o.errorCode() + ": " + o.error());
        line(sb, "usage", String.format(Locale.ROOT, "%.2f CPU-seconds, %.2f s wall%s; cost %s", o.metrics().cpuSeconds(),
            o.metrics().wallSeconds(), o.speed() > 0 ? String.format(Locale.ROOT, ", %.2fx realtime", o.speed()) : "",
            Units.usd(o.cost().totalUsd())));
        o.details().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(d -> line(sb, d.getKey(), d.getValue()));
      }
      return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
      if (value != null && !value.isEmpty()) {
        sb.append(String.format(Locale.ROOT, "%n  %-10s %s", label, value));
      }
    }
  }

  @Command(name = "cancel", description = {
      "Cancel a queued or running job, whichever process or worker runs it: its ffmpeg is ended and nothing is",
      "published. The request goes through the job store to the coordinator of the job's batch."})
  static final class Cancel extends SpoolSubcommand {
    @Parameters(paramLabel = "ID")
    String id;

    /** Accepted as by the other commands; the request needs no connection to the service. */
    @picocli.CommandLine.Mixin ServiceOptions service;

    @Override
    public Integer call() {
      String what;
      try (JobStore store = store(this)) {
        JobRecord r = store.requireJob(id);
        if (r.state().terminal()) {
          print(r, id + " already " + r.state().name().toLowerCase(Locale.ROOT));
          return ExitCodes.OK;
        }
        // The coordinator that runs its batch (a service's, or another process's embedded one) reads
        // the request within a second and tells the batch's workflow; a running attempt hears it at
        // its next question, a second later. Telling the workflow from here would first connect to
        // the service, which took longer than all of that.
        store.requestCancel(id);
        boolean shared = !store.batch(r.batchId()).map(io.spool.engine.BatchRecord::embedded).orElse(true);
        what = r.state() == JobState.QUEUED ? "it will not start"
            : (shared ? "the worker running it" : "the spool process running it") + " ends it within seconds and nothing is published";
      }
      print(Map.of("id", id, "cancelRequested", true), "cancel requested for " + id + "; " + what);
      return ExitCodes.OK;
    }
  }
}
