package io.spool.volumes;

import io.spool.media.BadArgumentException;
import io.spool.media.CancelledException;
import io.spool.media.FileIdentity;
import io.spool.media.OutputExistsException;
import io.spool.media.SpoolException;
import io.spool.media.internal.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder written in the job's scratch folder and uploaded to an S3 volume on commit. S3 cannot
 * show several objects in one step, so the folder is published in the order that a reader follows
 * it backwards: media files first, then playlists ({@code .m3u8}), the deepest first, so that a
 * top-level playlist (an HLS master) appears only once everything it leads to is there. A commit
 * that fails removes the objects it had put where nothing was; a replacing commit removes, once
 * the new folder is in, the objects of the old one that the new one does not have.
 */
final class S3FolderWrite implements Volume.Write {
  private static final Logger LOG = LoggerFactory.getLogger(S3FolderWrite.class);

  private final S3Volume volume;
  private final String path;
  private final Path local;

  S3FolderWrite(S3Volume volume, String path, Path local) {
    this.volume = volume;
    this.path = path;
    this.local = local;
  }

  @Override
  public Path file() {
    return local;
  }

  @Override
  public void commit() {
    Set<String> before = new HashSet<>(paths());
    List<String> published = publish(before, false);
    before.removeAll(published);
    for (String stale : before) {
      volume.remove(stale);
    }
  }

  @Override
  public void commitNew() {
    if (volume.exists(path) || !paths().isEmpty()) {
      throw new OutputExistsException(volume.name() + ":" + path);
    }
    publish(Set.of(), true);
  }

  @Override
  public void commitReplacing(FileIdentity expected) {
    throw new BadArgumentException("a folder output replaces what is there or nothing, not one judged file: "
        + volume.name() + ":" + path);
  }

  /** The volume paths of the objects in the folder now. */
  private List<String> paths() {
    return volume.list(path).stream().map(VolumeEntry::path).filter(p -> p.startsWith(path + "/")).toList();
  }

  /** Uploads the folder's files in publishing order; returns their volume paths. */
  private List<String> publish(Set<String> before, boolean onlyIfAbsent) {
    List<Path> files = order(local);
    List<String> done = new ArrayList<>();
    try {
      for (Path f : files) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancelledException("cancelled while publishing " + volume.name() + ":" + path);
        }
        String to = path + "/" + local.relativize(f).toString().replace(java.io.File.separatorChar, '/');
        volume.upload(f, to, onlyIfAbsent);
        done.add(to);
      }
      return done;
    } catch (RuntimeException e) {
      undo(done, before, e);
      throw e;
    }
  }

  /** Removes the objects this commit put where nothing was before. */
  private void undo(List<String> done, Set<String> before, RuntimeException failure) {
    boolean interrupted = Thread.interrupted(); // the SDK sends nothing from an interrupted thread
    try {
      for (String p : done) {
        if (!before.contains(p)) {
          try {
            volume.remove(p);
          } catch (SpoolException e) {
            failure.addSuppressed(e);
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The files under {@code dir}: playlists after the rest, deeper before shallower, by name otherwise. */
  static List<Path> order(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted(Comparator.<Path, Boolean>comparing(f -> f.toString().endsWith(".m3u8"))
          .thenComparing(f -> -dir.relativize(f).getNameCount()).thenComparing(Path::toString)).toList();
    } catch (IOException e) {
      throw new SpoolException(io.spool.media.ErrorCode.IO_ERROR, "cannot read the folder " + dir + ": " + e.getMessage(),
          List.of(), e);
    }
  }

  @Override
  public void close() {
    try {
      FileTrees.delete(local.getParent());
    } catch (IOException e) {
      LOG.warn("could not remove the local copy {} of {}:{}: {}", local, volume.name(), path, e.toString());
    }
  }
}
