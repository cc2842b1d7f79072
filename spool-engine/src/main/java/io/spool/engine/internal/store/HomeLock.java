package io.spool.engine.internal.store;

import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A lock on {@code HOME/spool.lock} held by one process of the host at a time (an OS file lock,
 * released when the process ends, however it ends): migrating the schema and importing the old
 * record files happen under it, so that two processes starting together do them once.
 */
final class HomeLock implements AutoCloseable {
  private final FileChannel channel;

  private HomeLock(FileChannel channel) {
    this.channel = channel;
  }

  static HomeLock take(Path home) {
    Path file = home.resolve("spool.lock");
    try {
      Files.createDirectories(home);
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        ch.lock();
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      return new HomeLock(ch);
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot lock " + file + ": " + e.getMessage(), List.of(), e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close(); // releases the lock
    } catch (IOException e) {
      // the lock goes with the channel either way
    }
  }
}
