package io.spool.cli;

import io.spool.media.CancelledException;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C and SIGTERM stop a command the same way: one line saying it was cancelled, the JSON error
 * with {@code --json}, then exit 130 while the exit cleanup ends ffmpeg, records what was cut short
 * and removes temporary files. Without this the JVM would exit 143 on SIGTERM, silently.
 */
final class Signals {
  private static final AtomicBoolean STOPPING = new AtomicBoolean();
  /** What a long-running command does on the first signal instead of exiting; null for the others. */
  private static volatile Runnable graceful;
  /** What the signal's line says where a command sets it; null: that running jobs were cancelled. */
  private static volatile String stopMessage;

  private Signals() {}

  /** Whether a signal is stopping this process (its cancellation is already reported). */
  static boolean stopping() {
    return STOPPING.get();
  }

  /**
   * Handles SIGINT and SIGTERM from now on. Through reflection: {@code sun.misc.Signal} is the
   * JDK's supported-but-unexported way, and naming it would warn at compile time. Where it is
   * missing the JVM's default handling stays.
   */
  static void install(PrintWriter out, PrintWriter err, boolean json) {
    for (String name : List.of("INT", "TERM")) {
      try {
        Class<?> signal = Class.forName("sun.misc.Signal");
        Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
        Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
            (proxy, method, args) -> switch (method.getName()) {
              case "handle" -> {
                stop(name, out, err, json);
                yield null;
              }
              case "hashCode" -> System.identityHashCode(proxy);
              case "equals" -> proxy == args[0];
              default -> "spool-signal-" + name;
            });
        signal.getMethod("handle", signal, handlerType).invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // keep the JVM's own handling of this signal
      }
    }
  }

  /**
   * From now on the first SIGINT or SIGTERM runs {@code stop} (on its own thread) instead of
   * ending the process: a service (dev-server, worker) drains its work and returns normally. A
   * second signal ends the process at once, as for any command.
   */
  static void onStop(Runnable stop) {
    graceful = stop;
  }

  /**
   * From now on SIGINT and SIGTERM end the process (exit 130) saying {@code message} instead of
   * that running jobs were ended: for a command that only follows work which goes on without it.
   */
  static void onStopSay(String message) {
    stopMessage = message;
  }

  private static void stop(String signal, PrintWriter out, PrintWriter err, boolean json) {
    Runnable g = graceful;
    if (g != null) {
      graceful = null;
      Thread t = new Thread(g, "spool-graceful-stop");
      t.start();
      return;
    }
    if (!STOPPING.compareAndSet(false, true)) {
      return;
    }
    String what = signal.equals("INT") ? "Ctrl-C" : "SIG" + signal;
    String message = stopMessage;
    SpoolCommand.report(new CancelledException(message != null ? message
        : "cancelled by " + what + ": running jobs were ended and nothing was published"), out, err, json, false);
    System.exit(ExitCodes.CANCELLED);
  }
}
