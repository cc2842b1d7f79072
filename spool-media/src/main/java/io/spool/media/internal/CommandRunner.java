package io.spool.media.internal;

import io.spool.media.EnvironmentException;
import io.spool.media.TimeoutExceededException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
    Read<String> r = run(command, timeout, CommandRunner::text);
    return new Result(r.exitStatus(), r.stdout(), r.stderr());
  }

  /** Reads a command's standard output as it arrives. */
  @FunctionalInterface
  public interface OutputReader<T> {
    T read(InputStream stdout) throws IOException;
  }

  /**
   * What a finished command printed: its standard output as {@link #run(List, Duration,
   * OutputReader)}'s reader read it, or why the reader could not, and its standard error.
   */
  public record Read<T>(int exitStatus, T stdout, IOException unreadable, String stderr) {
    public boolean ok() {
      return exitStatus == 0;
    }
  }

  /**
   * Runs a command to completion, its standard output read by {@code reader} on another thread
   * while it runs, so that the reading and whatever the reader readies first (a parser) overlap
   * the command's own start. Output the reader leaves is read and dropped.
   */
  public static <T> Read<T> run(List<String> command, Duration timeout, OutputReader<T> reader) {
    Running running = ExitCleanup.starting(() -> start(command));
    Process process = running.process();
    try {
      CompletableFuture<Read<T>> out = read(process.getInputStream(), reader);
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTree.end(process, GRACE);
        throw new TimeoutExceededException(
            command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
      Read<T> stdout = out.join();
      return new Read<>(process.exitValue(), stdout.stdout(), stdout.unreadable(), err.join());
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
        return text(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Daemon.EXECUTOR);
  }

  /** The reader's result or failure (exit status and stderr left out). */
  private static <T> CompletableFuture<Read<T>> read(InputStream in, OutputReader<T> reader) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        T value = null;
        IOException unreadable = null;
        try {
          value = reader.read(new FilterInputStream(in) {
            @Override
            public void close() {
              // the rest is drained below, so that the command never writes into a closed pipe
            }
          });
        } catch (IOException e) {
          unreadable = e;
        }
        in.transferTo(OutputStream.nullOutputStream());
        return new Read<>(0, value, unreadable, "");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Daemon.EXECUTOR);
  }

  private static String text(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toString(StandardCharsets.UTF_8);
  }
}
