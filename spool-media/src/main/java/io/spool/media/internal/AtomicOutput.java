package io.spool.media.internal;

import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.FileIdentity;
import io.spool.media.OutputExistsException;
import io.spool.media.OutputNotWritableException;
import io.spool.media.SpoolException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An output file written under a hidden temporary name beside its target and renamed over it
 * only when {@link #publish()} is called. Closing without publishing deletes the temporary file;
 * whatever was at the target before stays untouched. The temporary name says which process
 * writes it ({@code .NAME.spool-PID-START-TAG.partial}, START being when that process started), so
 * that a cleanup can tell a killed writer's file from a live one's.
 */
public final class AtomicOutput implements AutoCloseable {
  /** A temporary file's name: the target's name, then the writer (absent in names older Spools gave). */
  private static final Pattern TEMPORARY =
      Pattern.compile("\\.(.+)\\.spool-(?:([0-9]+)-([0-9]+)-)?[0-9a-f]{8}\\.partial");

  private final Path target;
  private final Path temporary;
  private final ExitCleanup.Registration onExit;
  private boolean published;

  private AtomicOutput(Path target) {
    this.target = target;
    this.temporary = temporaryFor(target);
    this.onExit = ExitCleanup.register(ExitCleanup.Phase.REMOVE_FILES, this::removeTemporary);
  }

  /** A new hidden name beside {@code target} that says this process writes it (also {@link AtomicFolder}'s). */
  static Path temporaryFor(Path target) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    return target.resolveSibling("." + target.getFileName() + ".spool-" + ProcessMark.self() + "-" + tag + ".partial");
  }

  /** Removes a temporary file, or a temporary folder ({@link AtomicFolder}) with what is in it. */
  private static boolean removeTemporaryAt(Path p) throws IOException {
    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      FileTrees.delete(p);
      return true;
    }
    return Files.deleteIfExists(p);
  }

  /**
   * Prepares to write {@code target}, creating its folder if needed and its temporary file, so
   * that a place which cannot take the output fails here, before any work is done.
   *
   * @throws OutputNotWritableException if the folder is on a read-only file system, below a file,
   *     not writable, or its device is full
   */
  public static AtomicOutput beside(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    if (abs.getFileName() == null) {
      throw new BadArgumentException("output must be a file path: " + target);
    }
    if (Files.isDirectory(abs)) {
      throw new BadArgumentException("output is a directory: " + target);
    }
    try {
      Files.createDirectories(abs.getParent());
    } catch (IOException e) {
      throw failure(abs, "cannot create output folder " + abs.getParent(), e);
    }
    AtomicOutput out = new AtomicOutput(abs);
    try {
      Files.createFile(out.temporary);
    } catch (IOException e) {
      out.onExit.close();
      throw failure(abs, "cannot write " + abs, e);
    }
    return out;
  }

  /**
   * The failure to report when writing {@code target} failed with {@code e}: one that retrying
   * cannot fix ({@link OutputNotWritableException}) where it is one, else a retryable I/O error
   * saying {@code what} failed.
   */
  public static SpoolException failure(Path target, String what, IOException e) {
    return OutputNotWritableException.of(target, e).map(SpoolException.class::cast)
        .orElseGet(() -> new SpoolException(ErrorCode.IO_ERROR, what + ": " + e.getMessage(), List.of(), e));
  }

  /** The file that {@code written} is published as: its target when it is one of these temporary files. */
  public static Path targetOf(Path written) {
    Path name = written.getFileName();
    Matcher m = TEMPORARY.matcher(name == null ? "" : name.toString());
    return m.matches() ? written.resolveSibling(m.group(1)) : written;
  }

  /**
   * Removes the temporary files and folders in {@code dir} (not recursive) whose writers are gone: killed, or
   * ended without cleaning up. A file whose writer still runs on this host is kept, so this may run
   * while other Spool processes write there (when resuming a batch, say); a file named for a pid
   * that a later process has taken is removed, and so is one whose name says no writer (an older
   * Spool's).
   */
  public static int removeAbandoned(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Matcher m = TEMPORARY.matcher(p.getFileName().toString());
        if (m.matches() && !ProcessMark.runs(m.group(2), m.group(3)) && removeTemporaryAt(p)) {
          removed++;
        }
      }
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot clean " + dir + ": " + e.getMessage(), List.of(), e);
    }
    return removed;
  }

  /**
   * Removes the temporary files that killed writers of {@code target} left beside it, and no
   * other file (a writer still running on this host keeps its file). Call it where no live writer
   * of that very file should be at work, e.g. in the next attempt of a job whose earlier attempt's
   * worker died.
   */
  public static int removeAbandonedOf(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    Path dir = abs.getParent();
    if (dir == null || abs.getFileName() == null || !Files.isDirectory(dir)) {
      return 0;
    }
    String name = abs.getFileName().toString();
    int removed = 0;
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Matcher m = TEMPORARY.matcher(p.getFileName().toString());
        if (m.matches() && m.group(1).equals(name) && !ProcessMark.runs(m.group(2), m.group(3)) && removeTemporaryAt(p)) {
          removed++;
        }
      }
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot clean " + dir + ": " + e.getMessage(), List.of(), e);
    }
    return removed;
  }

  public Path target() {
    return target;
  }

  /** Where the work is written until it is published. */
  public Path temporary() {
    return temporary;
  }

  /** Renames the temporary file over the target in one step. */
  public void publish() {
    try {
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
      published = true;
    } catch (IOException e) {
      throw failure(target, "cannot publish " + target, e);
    }
  }

  /**
   * Renames the temporary file over the target only if the target is still {@code expected}
   * (same file, size and modification time): a file that another process published there, or
   * changed or removed, while the work ran is left as it is.
   *
   * @throws OutputExistsException naming {@code shownAs} when the target is not
   *     {@code expected} any more
   */
  public void publishReplacing(FileIdentity expected, String shownAs) {
    if (!FileIdentity.of(target).equals(Optional.of(expected))) {
      throw OutputExistsException.changed(shownAs);
    }
    // The time between this check and the rename is the only gap left: no rename here can be
    // made conditional on what it replaces.
    publish();
  }

  /**
   * Publishes the temporary file at the target only if nothing is there, in one step (a hard link
   * that fails when the name is taken): a file that appeared at the target while the work ran is
   * left alone.
   *
   * @throws OutputExistsException naming {@code shownAs} when the target is taken
   */
  public void publishNew(String shownAs) {
    try {
      if (linkedAtTarget()) {
        published = true;
        Files.delete(temporary);
      } else {
        // No hard links on this file system: a rename that refuses an existing target (checked
        // just before it).
        Files.move(temporary, target);
        published = true;
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new OutputExistsException(shownAs);
    } catch (IOException e) {
      throw failure(target, "cannot publish " + target, e);
    }
  }

  /**
   * Links the temporary file at the target; false where the file system has no hard links.
   *
   * @throws java.nio.file.FileAlreadyExistsException if the target is taken
   */
  private boolean linkedAtTarget() throws IOException {
    try {
      Files.createLink(target, temporary);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (!published) {
      removeTemporary();
    }
    onExit.close();
  }

  private void removeTemporary() {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(AtomicOutput.class)
          .warn("could not remove {}: {}", temporary, e.toString());
    }
  }
}
