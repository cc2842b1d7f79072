package io.spool.engine.internal;

import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import io.spool.media.internal.ExitCleanup;
import io.spool.media.internal.FileTrees;
import io.spool.media.internal.ProcessMark;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * A job attempt's private scratch folder (the guide's {@code ephemeral_disk}): checked for free
 * space before work starts, removed afterwards whatever happened, and at JVM exit. Its name
 * carries the mark of the process that made it ({@code JOB-aN.spool-PID-START}), so that a worker
 * starting up can remove what a killed one left ({@link #removeAbandoned}).
 */
final class Scratch implements AutoCloseable {
  /** A scratch folder's name: the attempt, then its process (absent in names older Spools gave). */
  private static final Pattern NAME = Pattern.compile("(.+-a[0-9]+)(?:\\.spool-([0-9]+)-([0-9]+))?");

  private final Path dir;
  private final ExitCleanup.Registration onExit;

  private Scratch(Path dir) {
    this.dir = dir;
    this.onExit = ExitCleanup.register(ExitCleanup.Phase.REMOVE_FILES, this::delete);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      onExit.close();
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot create scratch " + dir + ": " + e.getMessage(), List.of(), e);
    }
  }

  /** The file system holding {@code root}, looked up once (it is costly on Linux). */
  static FileStore storeOf(Path root) {
    try {
      Files.createDirectories(root);
      return Files.getFileStore(root);
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot use scratch folder " + root + ": " + e.getMessage(), List.of(), e);
    }
  }

  /**
   * Removes the scratch folders in {@code root} whose process is gone (killed, so that its own
   * cleanup never ran); a folder of a process still running on this host stays. Returns how many
   * it removed; one it cannot remove is left, with a warning, for the next worker to try.
   */
  static int removeAbandoned(Path root) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !ProcessMark.runs(m.group(2), m.group(3))) {
          try {
            FileTrees.delete(p);
            removed++;
          } catch (IOException e) {
            LoggerFactory.getLogger(Scratch.class).warn("could not remove abandoned scratch {}: {}", p, e.toString());
          }
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      LoggerFactory.getLogger(Scratch.class).warn("could not look for abandoned scratch in {}: {}", root, e.toString());
    }
    return removed;
  }

  /** A scratch folder in {@code root} for attempt {@code attempt} of job {@code jobId}, of this process. */
  static Scratch create(Path root, FileStore store, String jobId, int attempt, long minFreeBytes) {
    return create(root, store, jobId + "-a" + attempt + ".spool-" + ProcessMark.self(), minFreeBytes);
  }

  private static Scratch create(Path root, FileStore store, String name, long minFreeBytes) {
    try {
      long free = store.getUsableSpace();
      if (free < minFreeBytes) {
        throw new SpoolException(ErrorCode.IO_ERROR, String.format(java.util.Locale.ROOT,
            "not enough scratch space in %s: %d MiB free, %d MiB needed", root, free >> 20, minFreeBytes >> 20));
      }
      return new Scratch(root.resolve(name));
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot create scratch in " + root + ": " + e.getMessage(), List.of(), e);
    }
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    delete();
    onExit.close();
  }

  private void delete() {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(Scratch.class).warn("could not remove scratch {}: {}", dir, e.toString());
    }
  }
}
