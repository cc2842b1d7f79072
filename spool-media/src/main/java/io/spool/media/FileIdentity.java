package io.spool.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which file a path held when it was looked at: the file system's key for it (device and inode
 * where there are such), its size and its modification time. A file renamed into place over it,
 * or the same file written again, has another identity.
 *
 * @param fileKey the file system's key for the file, or null where it gives none
 */
public record FileIdentity(String fileKey, long sizeBytes, Instant modified) {
  public FileIdentity {
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must not be negative: " + sizeBytes);
    }
    Objects.requireNonNull(modified, "modified");
  }

  /**
   * The identity of what is at {@code path} (a link itself, not what it leads to), or none when
   * nothing is there.
   *
   * @throws SpoolException {@link ErrorCode#IO_ERROR} if it cannot be read
   */
  public static Optional<FileIdentity> of(Path path) {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Object key = a.fileKey();
      return Optional.of(new FileIdentity(key == null ? null : key.toString(), a.size(),
          a.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot read the attributes of " + path + ": " + e.getMessage(),
          List.of(), e);
    }
  }
}
