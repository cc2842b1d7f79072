package io.spool.media.internal;

import io.spool.media.EnvironmentException;
import io.spool.media.Metrics;
import io.spool.media.TimeoutExceededException;
import io.spool.media.UsageMeter;
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
    Read<String> r = run(command, timeout, meter, CommandRunner::text);
    return new Result(r.exitStatus(), r.stdout(), r.stderr(), r.metrics());
  }

  /** Reads a command's standard output as it arrives. */
  @FunctionalInterface
  public interface OutputReader<T> {
    T read(InputStream stdout) throws IOException;
  }

  /**
   * What a finished command printed: its standard output as the reader of
   * {@link #run(List, Duration, UsageMeter, OutputReader)} read it, or why the reader could not,
   * its standard error, and what it used.
   */
  public record Read<T>(int exitStatus, T stdout, IOException unreadable, String stderr, Metrics metrics) {
    public boolean ok() {
      return exitStatus == 0;
    }
  }

  /**
   * Runs a command to completion, its standard output read by {@code reader} on another thread
   * while it runs, so that the reading and whatever the reader readies first (a parser) overlap
   * the command's own start. Output the reader leaves is read and dropped. What the command used
   * is recorded by {@code meter}, also when it fails or is ended.
   */
  public static <T> Read<T> run(List<String> command, Duration timeout, UsageMeter meter, OutputReader<T> reader) {
    long started = System.nanoTime();
    Running running = ExitCleanup.starting(() -> start(command));
    Process process = running.process();
    ChildUsage.Report usage = new ChildUsage.Report();
    CompletableFuture<String> err = drain(process.getErrorStream());
    String stderr = null;
    try {
      CompletableFuture<Read<T>> out = read(process.getInputStream(), reader);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTree.end(process, GRACE);
        throw new TimeoutExceededException(
            command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
      Read<T> stdout = out.join();
      stderr = ChildUsage.toolOutput(err.join(), usage);
      return new Read<>(process.exitValue(), stdout.stdout(), stdout.unreadable(), stderr, used(usage, started));
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
        return text(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Daemon.EXECUTOR);
  }

  /** The reader's result or failure (exit status, stderr and usage left out). */
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
        return new Read<>(0, value, unreadable, "", Metrics.ZERO);
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
