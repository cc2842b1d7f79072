package io.spool.media.internal;

import io.spool.media.BadArgumentException;
import io.spool.media.OutputExistsException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A folder of outputs (an HLS ladder: playlists and segments) written under a hidden temporary
 * name beside its target and renamed to it when {@link #publishNew} or {@link #publish} is
 * called, so that a reader finds the whole folder or none of it. Closing without publishing
 * removes the temporary folder. It is named like {@link AtomicOutput}'s temporary files, so the
 * same cleanups remove what a killed writer left.
 */
public final class AtomicFolder implements AutoCloseable {
  private final Path target;
  private final Path temporary;
  private final ExitCleanup.Registration onExit;
  private boolean published;

  private AtomicFolder(Path target) {
    this.target = target;
    this.temporary = AtomicOutput.temporaryFor(target);
    this.onExit = ExitCleanup.register(ExitCleanup.Phase.REMOVE_FILES, this::removeTemporary);
  }

  /**
   * Prepares to write the folder {@code target}, creating its parent and the empty temporary
   * folder, so that a place which cannot take the output fails here, before any work is done.
   *
   * @throws io.spool.media.OutputNotWritableException if the parent cannot be made or written
   */
  public static AtomicFolder beside(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    if (abs.getFileName() == null) {
      throw new BadArgumentException("output must be a folder path below another: " + target);
    }
    try {
      Files.createDirectories(abs.getParent());
    } catch (IOException e) {
      throw AtomicOutput.failure(abs, "cannot create output folder " + abs.getParent(), e);
    }
    AtomicFolder out = new AtomicFolder(abs);
    try {
      Files.createDirectory(out.temporary);
    } catch (IOException e) {
      out.onExit.close();
      throw AtomicOutput.failure(abs, "cannot write in " + abs.getParent(), e);
    }
    return out;
  }

  public Path target() {
    return target;
  }

  /** The folder to write into until it is published. */
  public Path temporary() {
    return temporary;
  }

  /**
   * Publishes the folder at its target only if nothing is there: one rename, which a reader sees
   * whole. Nothing at the target is ever replaced.
   *
   * @throws OutputExistsException naming {@code shownAs} when the target is taken
   */
  public void publishNew(String shownAs) {
    // rename(2) would quietly replace an empty folder at the target; Files.move without options
    // refuses any existing target (checked just before the rename).
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new OutputExistsException(shownAs);
    }
    try {
      Files.move(temporary, target);
      published = true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new OutputExistsException(shownAs);
    } catch (IOException e) {
      throw AtomicOutput.failure(target, "cannot publish " + target, e);
    }
  }

  /**
   * Publishes the folder at its target, replacing what is there (a folder or a file): that is
   * first renamed aside, then the new folder renamed in, then the old one removed. A reader sees
   * the old folder whole, then for a moment nothing, then the new folder whole; should the second
   * rename fail, the old folder is put back.
   */
  public void publish() {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      moveIn();
      return;
    }
    Path aside = AtomicOutput.temporaryFor(target);
    ExitCleanup.Registration removeAside = ExitCleanup.register(ExitCleanup.Phase.REMOVE_FILES, () -> remove(aside));
    try {
      try {
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw AtomicOutput.failure(target, "cannot move " + target + " aside to replace it", e);
      }
      try {
        moveIn();
      } catch (RuntimeException e) {
        try {
          Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException restore) {
          e.addSuppressed(restore);
        }
        throw e;
      }
      remove(aside);
    } finally {
      removeAside.close();
    }
  }

  private void moveIn() {
    try {
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target);
      }
      published = true;
    } catch (IOException e) {
      throw AtomicOutput.failure(target, "cannot publish " + target, e);
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
    remove(temporary);
  }

  private static void remove(Path folder) {
    try {
      FileTrees.delete(folder);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(AtomicFolder.class).warn("could not remove {}: {}", folder, e.toString());
    }
  }
}
