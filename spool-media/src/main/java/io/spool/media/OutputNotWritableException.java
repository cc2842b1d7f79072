package io.spool.media;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The output cannot be written where it was asked for: its folder is on a read-only file system,
 * a file stands where a folder of its path should be, writing there is not permitted, or the
 * device is full. The same place fails the same way again, so it is never retried.
 */
public class OutputNotWritableException extends SpoolException {
  private static final long serialVersionUID = 1L;

  public OutputNotWritableException(String message) {
    super(ErrorCode.OUTPUT_NOT_WRITABLE, message);
  }

  public OutputNotWritableException(String message, List<String> evidence, Throwable cause) {
    super(ErrorCode.OUTPUT_NOT_WRITABLE, message, evidence, cause);
  }

  /** {@code folder} is on a file system mounted read-only. */
  public static OutputNotWritableException readOnly(Path folder, List<String> evidence, Throwable cause) {
    return new OutputNotWritableException("output folder " + folder + " is on a read-only file system", evidence, cause);
  }

  /** The device holding {@code what} (one or more outputs) is full. */
  public static OutputNotWritableException noSpace(String what, List<String> evidence, Throwable cause) {
    return new OutputNotWritableException("no space left on device writing " + what, evidence, cause);
  }

  /** The owner of the folder holding {@code what} has used up their disk quota. */
  public static OutputNotWritableException overQuota(String what, List<String> evidence, Throwable cause) {
    return new OutputNotWritableException("disk quota exceeded writing " + what, evidence, cause);
  }

  /**
   * What a failure to write {@code target} (or to create its folder) means, when it is one that
   * retrying cannot fix; empty for any other failure. What stands on the output's path and how its
   * file system is mounted are read from the file system itself; a full device only shows in the
   * error's own words.
   */
  public static Optional<OutputNotWritableException> of(Path target, IOException e) {
    Path folder = target.toAbsolutePath().normalize().getParent();
    String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
    Path existing = folder;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      return Optional.of(new OutputNotWritableException("cannot create output folder " + folder + ": " + existing
          + (Files.isRegularFile(existing) ? " is a file" : " is not a folder"), List.of(), e));
    }
    if (reason.contains("No space left on device")) {
      return Optional.of(noSpace(target.toString(), List.of(), e));
    }
    if (reason.contains("Disk quota exceeded")) {
      return Optional.of(overQuota(target.toString(), List.of(), e));
    }
    if (reason.contains("Read-only file system") || (existing != null && readOnly(existing))) {
      return Optional.of(readOnly(folder, List.of(), e));
    }
    if (e instanceof AccessDeniedException) {
      return Optional.of(new OutputNotWritableException((Files.isDirectory(folder)
          ? "no permission to write in output folder " : "no permission to create output folder ") + folder, List.of(), e));
    }
    return Optional.empty();
  }

  private static boolean readOnly(Path folder) {
    try {
      return Files.getFileStore(folder).isReadOnly();
    } catch (IOException e) {
      return false;
    }
  }
}
