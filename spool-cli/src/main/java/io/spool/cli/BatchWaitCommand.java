package io.spool.cli;

import io.spool.engine.JobStore;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool batch wait ID}: waits for a batch to end, whichever process runs it. */
@Command(name = "wait", description = {
    "Wait for a batch to end and show how its jobs ended; exit 0 when all succeeded, 1 otherwise.",
    "Ctrl-C stops waiting, not the batch (cancel jobs with `spool jobs cancel`)."})
final class BatchWaitCommand extends SpoolSubcommand {
  private static final long POLL_MILLIS = 250;

  @Parameters(paramLabel = "ID", description = "The batch id.")
  String id;

  @Option(names = "--timeout", paramLabel = "D", converter = Units.DurationConverter.class,
      description = "Give up waiting after this long (exit 1; the batch goes on).")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    JobStore store = JobsCommand.store(this);
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    BatchStatusCommand.Status s = BatchStatusCommand.status(store, id);
    while (!terminal(s.state()) && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MILLIS);
      store.closeAbandoned();
      s = BatchStatusCommand.status(store, id);
    }
    print(s, s.human());
    return s.state().equals("succeeded") ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static boolean terminal(String state) {
    return !state.equals("queued") && !state.equals("running");
  }
}
