package io.spool.media.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Work that must happen if the JVM exits (Ctrl-C, SIGTERM) while a job is running: end ffmpeg
 * process trees first, then record what was cut short, then remove temporary files. Registered while the job runs, removed when
 * it finishes normally.
 */
public final class ExitCleanup {
  /** Order of the two phases at exit. */
  public enum Phase { END_PROCESSES, RECORD_STATE, REMOVE_FILES }

  private static final Map<Long, Map.Entry<Phase, Runnable>> ACTIONS = new ConcurrentHashMap<>();
  private static final AtomicLong IDS = new AtomicLong();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::runAll, "spool-exit-cleanup"));
  }

  private ExitCleanup() {}

  /** A registered action; closing it unregisters it. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** Registers an action; close the returned handle once the action is no longer needed. */
  public static Registration register(Phase phase, Runnable action) {
    long id = IDS.incrementAndGet();
    ACTIONS.put(id, Map.entry(phase, action));
    return () -> ACTIONS.remove(id);
  }

  private static void runAll() {
    for (Phase phase : Phase.values()) {
      ACTIONS.values().parallelStream()
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
