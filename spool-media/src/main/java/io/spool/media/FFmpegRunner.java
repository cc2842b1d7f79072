package io.spool.media;

import io.spool.media.internal.ChildUsage;
import io.spool.media.internal.ExitCleanup;
import io.spool.media.internal.ParentDeath;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs ffmpeg commands: progress events, metering, timeout, cancel and failure classification.
 * {@code FFmpegRunner.using(tools).run(command, options)} blocks; {@link #start} returns a
 * {@link RunHandle} to cancel or await.
 */
public final class FFmpegRunner {
  private final Toolchain tools;

  private FFmpegRunner(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static FFmpegRunner using(Toolchain tools) {
    return new FFmpegRunner(tools);
  }

  /** Starts ffmpeg and returns at once. */
  public RunHandle start(FFmpegCommand command, RunOptions options) {
    List<String> argv = new ArrayList<>();
    argv.add(tools.ffmpeg().toString());
    argv.addAll(command.arguments());
    List<java.nio.file.Path> outputs = command.outputs().stream()
        .filter(o -> !"null".equals(o.format()) && o.stdout() == null).map(Output::path).toList();
    ProcessBuilder builder = new ProcessBuilder(ChildUsage.command(argv));
    if (!command.readsStdin()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    return ExitCleanup.starting(() -> new RunHandle(ParentDeath.start(builder, tools.ffmpeg()), options, outputs,
        tools.meter(), !command.writesStdout(), command::scrub));
  }

  /**
   * Runs to completion. Interrupting the calling thread cancels the run.
   *
   * @throws SpoolException classified: invalid input, environment, timeout, memory, cancelled,
   *     an output that cannot be written, or a retryable ffmpeg failure
   */
  public RunResult run(FFmpegCommand command, RunOptions options) {
    RunHandle handle = start(command, options);
    try {
      return handle.await();
    } catch (InterruptedException e) {
      handle.cancel();
      Thread.currentThread().interrupt();
      throw new CancelledException("cancelled while ffmpeg was running");
    }
  }
}
