package io.spool.media.internal;

import io.spool.media.CancelledException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Work that must happen if the JVM exits (Ctrl-C, SIGTERM) while a job is running: end ffmpeg
 * process trees first, then record what was cut short, then remove temporary files. Registered
 * while the job runs, removed when it finishes normally.
 *
 * <p>Job threads keep running while the JVM goes down, and a job that was waiting for a core
 * gets one as soon as its neighbour's ffmpeg is ended. So once the cleanup has begun nothing new
 * may start: {@link #register} and {@link #starting} then throw {@link CancelledException}, and
 * whatever got in before is registered before the cleanup looks.
 */
public final class ExitCleanup {
  /** Order of the phases at exit. */
  public enum Phase { END_PROCESSES, RECORD_STATE, REMOVE_FILES }

  private static final ExitCleanup JVM = new ExitCleanup();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(JVM::run, "spool-exit-cleanup"));
  }

  private final Map<Long, Map.Entry<Phase, Runnable>> actions = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  private boolean exiting; // guarded by gate

  ExitCleanup() {}

  /** A registered action; closing it unregisters it. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** Whether the JVM is going down (Ctrl-C, SIGTERM, exit) and the cleanup has begun. */
  public static boolean exiting() {
    Lock read = JVM.gate.readLock();
    read.lock();
    try {
      return JVM.exiting;
    } finally {
      read.unlock();
    }
  }

  /**
   * Registers an action; close the returned handle once the action is no longer needed.
   * Register before making what the action cleans up (a file, a folder).
   *
   * @throws CancelledException if the JVM is already exiting
   */
  public static Registration register(Phase phase, Runnable action) {
    return JVM.add(phase, action);
  }

  /**
   * Runs {@code start}, which starts something and registers how to end it (a process is only
   * known once started), unless the JVM is exiting. The cleanup waits until {@code start} returns,
   * so what it started is ended with the rest.
   *
   * @throws CancelledException if the JVM is already exiting; nothing is started then
   */
  public static <T> T starting(Supplier<T> start) {
    return JVM.admit(start);
  }

  Registration add(Phase phase, Runnable action) {
    return admit(() -> {
      long id = ids.incrementAndGet();
      actions.put(id, Map.entry(phase, action));
      return () -> actions.remove(id);
    });
  }

  <T> T admit(Supplier<T> start) {
    Lock read = gate.readLock();
    read.lock();
    try {
      if (exiting) {
        throw new CancelledException("Spool is exiting; nothing new is started");
      }
      return start.get();
    } finally {
      read.unlock();
    }
  }

  /** Closes the gate, then runs every registered action, phase by phase. */
  void run() {
    Lock write = gate.writeLock();
    write.lock();
    try {
      exiting = true;
    } finally {
      write.unlock();
    }
    for (Phase phase : Phase.values()) {
      actions.values().parallelStream()
          .filter(e -> e.getKey() == phase)
          .forEach(e -> {
            try {
              e.getValue().run();
            } catch (RuntimeException ignored) {
              // best effort while the JVM goes down
            }
          });
    }
  }
}
