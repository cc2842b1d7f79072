package io.spool.media.internal;

import io.spool.media.EnvironmentException;
import io.spool.media.TimeoutExceededException;
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

  /** What a finished command printed. */
  public record Result(int exitStatus, String stdout, String stderr) {
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

  public static Result run(List<String> command, Duration timeout) {
    Running running = ExitCleanup.starting(() -> start(command));
    Process process = running.process();
    try {
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTree.end(process, GRACE);
        throw new TimeoutExceededException(
            command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      ProcessTree.end(process, GRACE);
      Thread.currentThread().interrupt();
      throw new io.spool.media.CancelledException("interrupted while running " + command.get(0));
    } finally {
      running.onExit().close();
    }
  }

  /** A started command and its ending at JVM exit. */
  private record Running(Process process, ExitCleanup.Registration onExit) {}

  private static Running start(List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new EnvironmentException("cannot start " + command.get(0) + ": " + e.getMessage());
    }
    return new Running(process, ExitCleanup.register(ExitCleanup.Phase.END_PROCESSES, () -> ProcessTree.end(process, GRACE)));
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
