package io.spool.media.internal;

import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;

/**
 * An output file written under a hidden temporary name beside its target and renamed over it
 * only when {@link #publish()} is called. Closing without publishing deletes the temporary file;
 * whatever was at the target before stays untouched.
 */
public final class AtomicOutput implements AutoCloseable {
  private final Path target;
  private final Path temporary;
  private final ExitCleanup.Registration onExit;
  private boolean published;

  private AtomicOutput(Path target) {
    this.target = target;
    String name = target.getFileName().toString();
    String tag = UUID.randomUUID().toString().substring(0, 8);
    this.temporary = target.resolveSibling("." + name + ".spool-" + tag + ".partial");
    this.onExit = ExitCleanup.register(ExitCleanup.Phase.REMOVE_FILES, this::removeTemporary);
  }

  /** Prepares to write {@code target}, creating its folder if needed. */
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
      throw new SpoolException(ErrorCode.IO_ERROR,
          "cannot create output folder " + abs.getParent() + ": " + e.getMessage(), List.of(), e);
    }
    return new AtomicOutput(abs);
  }

  /**
   * Removes temporary files that killed writers left in {@code dir} (not recursive). Only call
   * this when no Spool process is writing there, e.g. when resuming a batch.
   */
  public static int removeAbandoned(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String n = p.getFileName().toString();
        if (n.startsWith(".") && n.endsWith(".partial") && n.contains(".spool-") && Files.deleteIfExists(p)) {
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
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot publish " + target + ": " + e.getMessage(), List.of(), e);
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
