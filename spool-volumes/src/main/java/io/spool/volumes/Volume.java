package io.spool.volumes;

import java.nio.file.Path;
import java.util.List;

/**
 * A named place for job inputs and outputs. Writes become visible only when committed, whole and
 * at once: a reader never sees half a file, and a failed job publishes nothing. Paths are
 * {@link VolumePath} paths; none reads or writes outside the volume (such a path is refused with
 * {@link io.spool.media.ErrorCode#BAD_ARGUMENT}).
 */
public interface Volume {
  String name();

  boolean exists(String path);

  /** Files under {@code prefix} (all files for ""), in path order; each path is accepted back as it is. */
  List<VolumeEntry> list(String prefix);

  /** Copies a local file into the volume, atomically replacing what was at {@code path}. */
  void put(Path source, String path);

  /** Copies a file out of the volume to a local path (atomically on the local side too). */
  void get(String path, Path target);

  /**
   * The file at {@code path} opened for reading, whole or from any byte, or empty where there is
   * none. Every read is of the same version of the file, whatever replaces it meanwhile (a local
   * file stays open; an S3 object is read by its ETag, and a read after it was replaced fails).
   * Close it when done.
   */
  java.util.Optional<Read> read(String path);

  /** A file opened by {@link #read}. */
  interface Read extends AutoCloseable {
    /** Its size in bytes. */
    long size();

    /** {@code length} of its bytes from {@code offset}, streamed; the caller closes the stream. */
    java.io.InputStream bytes(long offset, long length);

    @Override
    void close();
  }

  /** Removes a file; false if there was none. */
  boolean remove(String path);

  /**
   * A local file to read {@code path} from. A local volume hands out its own file; a remote one
   * downloads it into {@code scratch}.
   */
  Path readable(String path, Path scratch);

  /** Starts writing {@code path}: write to {@link Write#file()}, then {@link Write#commit()}. */
  Write write(String path, Path scratch);

  /**
   * Starts writing a folder of files at {@code path} (an HLS ladder, say): write into the folder
   * {@link Write#file()}, then commit; the folder appears whole. {@link Write#commitReplacing} is
   * not supported for folders.
   *
   * @throws io.spool.media.BadArgumentException where this volume cannot publish a folder in one step
   */
  default Write writeFolder(String path, Path scratch) {
    throw new io.spool.media.BadArgumentException("volume " + name() + " cannot take a folder as one output: " + path);
  }

  /**
   * Publishes several writes all or nothing: each is committed ({@code replace}: over what is
   * there, else only where nothing is), and when one fails, those committed before it are undone,
   * putting back what was at their places, and the failure is thrown. Writes whose files lie on
   * this host ({@link Write#localTarget()}) can be undone, and new files elsewhere where
   * {@link Write#undoNew()} can take them back (S3); put any others last.
   */
  static void commitAll(List<Write> writes, List<Boolean> replace) {
    AllOrNothing.commit(writes, replace);
  }

  /** An output being written. Closing without committing discards it. */
  interface Write extends AutoCloseable {
    /** Where to write the content. */
    Path file();

    /**
     * The file on this host that a commit publishes, where there is one: what {@link #commitAll}
     * needs to undo a commit. Empty for a store elsewhere (and a folder).
     */
    default java.util.Optional<Path> localTarget() {
      return java.util.Optional.empty();
    }

    /**
     * Takes back what {@link #commitNew} published, for a store elsewhere (one with no
     * {@link #localTarget()}): what {@link #commitAll} needs to undo such a commit. False where it
     * cannot.
     */
    default boolean undoNew() {
      return false;
    }

    /** Publishes the content at its path in one step, replacing what was there. */
    void commit();

    /**
     * Publishes the content at its path in one step only if nothing is there yet.
     *
     * @throws io.spool.media.OutputExistsException if something is
     */
    void commitNew();

    /**
     * Publishes the content at its path in one step only if the file there is still
     * {@code expected}, the file that was judged to be replaced (for redoing an output in place).
     *
     * @throws io.spool.media.OutputExistsException if another file is there now, or none
     */
    void commitReplacing(io.spool.media.FileIdentity expected);

    @Override
    void close();
  }
}
