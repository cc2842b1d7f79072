package io.spool.media.internal;

import io.spool.media.EnvironmentException;
import io.spool.media.Metrics;
import io.spool.media.TimeoutExceededException;
import io.spool.media.UsageMeter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short command (ffprobe, a capability check) to completion and captures its output. Long
 * ffmpeg jobs go through {@link io.spool.media.FFmpegRunner} instead, which reports progress.
 */
public final class CommandRunner {
  private static final Duration GRACE = Duration.ofSeconds(2);

  private CommandRunner() {}

  /** What a finished command printed, and what it used. */
  public record Result(int exitStatus, String stdout, String stderr, Metrics metrics) {
    public boolean ok() {
      return exitStatus == 0;
    }

    /** The last non-blank stderr line, which is where ffmpeg tools put the reason. */
    public String lastErrorLine() {
      String[] lines = stderr.strip().split("\\R");
      for (int i = lines.length - 1; i >= 0; i--) {
        if (!lines[i].isBlank()) {
          return lines[i].strip();
        }
      }
      return "exit status " + exitStatus;
    }
  }

  /**
   * Runs {@code command} to its end, at most {@code timeout}; what it used is recorded by
   * {@code meter}, also when it fails or is ended.
   */
  public static Result run(List<String> command, Duration timeout, UsageMeter meter) {
    long started = System.nanoTime();
    Running running = ExitCleanup.starting(() -> start(command));
    Process process = running.process();
    ChildUsage.Report usage = new ChildUsage.Report();
    CompletableFuture<String> err = drain(process.getErrorStream());
    String stderr = null;
    try {
      CompletableFuture<String> out = drain(process.getInputStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTree.end(process, GRACE);
        throw new TimeoutExceededException(
            command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
      stderr = ChildUsage.toolOutput(err.join(), usage);
      return new Result(process.exitValue(), out.join(), stderr, used(usage, started));
    } catch (InterruptedException e) {
      ProcessTree.end(process, GRACE);
      Thread.currentThread().interrupt();
      throw new io.spool.media.CancelledException("interrupted while running " + command.get(0));
    } finally {
      running.onExit().close();
      if (stderr == null) {
        ChildUsage.toolOutput(err.join(), usage);
      }
      meter.add(used(usage, started));
    }
  }

  private static Metrics used(ChildUsage.Report usage, long startedNanos) {
    return new Metrics((System.nanoTime() - startedNanos) / 1e9, usage.userSeconds().orElse(0),
        usage.systemSeconds().orElse(0), 0);
  }

  /** A started command and its ending at JVM exit. */
  private record Running(Process process, ExitCleanup.Registration onExit) {}

  private static Running start(List<String> command) {
    if (!findable(command.get(0))) {
      // Started under a wrapper, a missing program would only show as the wrapper's exit status.
      throw new EnvironmentException("cannot start " + command.get(0) + ": not found");
    }
    Process process;
    try {
      process = new ProcessBuilder(ChildUsage.command(command))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new EnvironmentException("cannot start " + command.get(0) + ": " + e.getMessage());
    }
    return new Running(process, ExitCleanup.register(ExitCleanup.Phase.END_PROCESSES, () -> ProcessTree.end(process, GRACE)));
  }

  private static boolean findable(String program) {
    if (program.contains("/")) {
      return java.nio.file.Files.isExecutable(java.nio.file.Path.of(program));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Daemon.EXECUTOR);
  }
}
