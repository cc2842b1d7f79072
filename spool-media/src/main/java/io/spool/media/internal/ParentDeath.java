package io.spool.media.internal;

import io.spool.media.EnvironmentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Makes sure a child process dies with the JVM, even when the JVM is killed with SIGKILL and no
 * shutdown hook runs. On Linux the child is started through {@code setpriv --pdeathsig KILL},
 * which asks the kernel to kill it when its parent goes away. The kernel ties that to the
 * <em>thread</em> that started the child, so each child is started by its own owner thread that
 * lives exactly as long as the child does.
 */
public final class ParentDeath {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private static final List<String> WRAPPER = detect();

  private ParentDeath() {}

  /** The argument prefix to put before the real command (empty where unsupported). */
  public static List<String> wrapper() {
    return WRAPPER;
  }

  /** Starts the process from a dedicated owner thread and returns it once it is running. */
  public static Process start(ProcessBuilder builder, Path program) {
    CompletableFuture<Process> started = new CompletableFuture<>();
    Thread owner = new Thread(() -> {
      Process p;
      try {
        p = builder.start();
      } catch (IOException | RuntimeException e) {
        started.completeExceptionally(e);
        return;
      }
      started.complete(p);
      while (true) {
        try {
          p.waitFor();
          return;
        } catch (InterruptedException e) {
          // keep owning the child until it exits: leaving early would kill it
        }
      }
    }, "spool-child-owner");
    owner.setDaemon(true);
    owner.start();
    try {
      return started.get();
    } catch (ExecutionException e) {
      throw new EnvironmentException("cannot start " + program + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Process p = started.join();
      ProcessTree.end(p, java.time.Duration.ofSeconds(1));
      throw new io.spool.media.CancelledException("interrupted while starting " + program);
    }
  }

  private static List<String> detect() {
    if (Files.isExecutable(SETPRIV)) {
      try {
        Process p = new ProcessBuilder(SETPRIV.toString(), "--pdeathsig", "KILL", "--", "true")
            .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() == 0) {
          return List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--");
        }
      } catch (IOException e) {
        return List.of();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return List.of();
  }
}
