package io.spool.engine.internal;

import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import io.spool.media.internal.ExitCleanup;
import io.spool.media.internal.FileTrees;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A job attempt's private scratch folder (the guide's {@code ephemeral_disk}): checked for free
 * space before work starts, removed afterwards whatever happened, and at JVM exit.
 */
final class Scratch implements AutoCloseable {
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

  static Scratch create(Path root, FileStore store, String name, long minFreeBytes) {
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
