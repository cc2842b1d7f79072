package io.spool.cli;

import io.spool.engine.JobStore;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool batch wait ID}: waits for a batch to end, whichever process runs it. */
@Command(name = "wait", description = {
    "Wait for a batch to end and show how its jobs ended; exit 0 when all succeeded, 1 otherwise. A batch whose",
    "workflow ended before its jobs did (failed for good, or terminated) ends as failed with BATCH_FAILED.",
    "Ctrl-C stops waiting (exit 130), not the batch (cancel jobs with `spool jobs cancel`)."})
final class BatchWaitCommand extends SpoolSubcommand {
  private static final long POLL_MILLIS = 250;
  /** How often it asks a shared batch's service whether the batch's workflow still runs. */
  private static final long CHECK_NANOS = 1_000_000_000L;

  @Parameters(paramLabel = "ID", description = "The batch id.")
  String id;

  @Option(names = "--timeout", paramLabel = "D", converter = Units.DurationConverter.class,
      description = "Give up waiting after this long (exit 6; the batch goes on).")
  Duration timeout;

  @picocli.CommandLine.Mixin ServiceOptions service;

  @Override
  public Integer call() throws InterruptedException {
    Signals.onStopSay("stopped waiting; batch " + id + " goes on (spool batch wait " + id + " to follow it again)");
    BatchStatusCommand.Status s;
    try (JobStore store = JobsCommand.store(this); BatchWorkflowCheck check = new BatchWorkflowCheck(this, service.settings())) {
      long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
      long nextCheck = System.nanoTime();
      s = BatchStatusCommand.status(store, id);
      while (!terminal(s.state()) && (timeout == null || System.nanoTime() - deadline < 0)) {
        if (System.nanoTime() - nextCheck >= 0) {
          // A batch whose workflow ended without finishing it is recorded failed, and so ends here.
          store.batch(id).ifPresent(check::check);
          nextCheck = System.nanoTime() + CHECK_NANOS;
        } else {
          Thread.sleep(POLL_MILLIS);
        }
        store.closeAbandoned();
        s = BatchStatusCommand.status(store, id);
      }
      s = s.withCostSoFar(store).withTimedOut(!terminal(s.state()));
    }
    print(s, s.human());
    if (s.timedOut()) {
      err().println("spool: batch " + id + " still running after " + Units.duration(timeout));
      err().flush();
      return ExitCodes.STILL_RUNNING;
    }
    return s.state().equals("succeeded") ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static boolean terminal(String state) {
    return !state.equals("queued") && !state.equals("running");
  }
}
