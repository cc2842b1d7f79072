package io.spool.volumes;

import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.InputNotFoundException;
import io.spool.media.SpoolException;
import io.spool.media.internal.AtomicFolder;
import io.spool.media.internal.AtomicOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A volume stored as a directory. Commits are renames inside that directory, so they are atomic.
 * Every path resolves inside the directory: links are followed while they stay inside it, and a
 * path that leads outside, through a link anywhere on it, is refused as a bad argument.
 */
public final class LocalVolume implements Volume {
  private static final Logger LOG = LoggerFactory.getLogger(LocalVolume.class);

  private final String name;
  private final Path root;
  private final VolumeFolder folder;

  LocalVolume(String name, Path root) {
    this.name = name;
    this.root = root;
    this.folder = new VolumeFolder(name, root);
  }

  @Override
  public String name() {
    return name;
  }

  /** The directory holding this volume's files. */
  public Path root() {
    return root;
  }

  /**
   * The local file that {@code path} names, inside this volume; it may not exist yet. Refuses
   * (with {@link io.spool.media.ErrorCode#BAD_ARGUMENT}) a path that leads outside the volume.
   */
  public Path locate(String path) {
    String clean = VolumePath.normalize(path);
    if (clean.isEmpty()) {
      throw new BadArgumentException("a file path inside volume " + name + " is needed");
    }
    return folder.resolve(clean);
  }

  @Override
  public boolean exists(String path) {
    return Files.isRegularFile(locate(path));
  }

  /**
   * {@inheritDoc} Each entry's path, given back as it is, names the same file. Left out: Spool's
   * own unfinished writes, and, with a warning, links that do not lead to a file inside the volume
   * and files whose names no volume path can say (control characters, bytes that are not text in
   * this system's file name encoding).
   */
  @Override
  public List<VolumeEntry> list(String prefix) {
    Path real = folder.real();
    Path start = folder.resolve(VolumePath.normalize(prefix));
    if (!Files.exists(start)) {
      return List.of();
    }
    List<VolumeEntry> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(start)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || insideUnfinishedWrite(real, p)) {
          continue;
        }
        Optional<String> path = folder.pathOf(real, p);
        if (path.isEmpty()) {
          LOG.warn("volume {} holds a file no volume path can name, left out: {}", name,
              printable(real.relativize(p).toString()));
          continue;
        }
        Optional<Path> file = listedFile(p, path.get());
        if (file.isPresent()) {
          entries.add(new VolumeEntry(path.get(), Files.size(file.get()),
              Files.getLastModifiedTime(file.get()).toInstant()));
        }
      }
    } catch (IOException e) {
      throw io("list volume " + name, e);
    }
    return entries;
  }

  /** The regular file a listed path stands for: itself, or where its link leads inside the volume. */
  private Optional<Path> listedFile(Path p, String path) {
    if (!Files.isSymbolicLink(p)) {
      return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(p) : Optional.empty();
    }
    try {
      Path target = folder.resolve(path);
      return Files.isRegularFile(target) ? Optional.of(target) : Optional.empty();
    } catch (BadArgumentException e) {
      LOG.warn("left out of the listing: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** A temporary file of a write not committed, or a file in such a folder ({@link AtomicFolder}). */
  private static boolean insideUnfinishedWrite(Path real, Path p) {
    for (Path name : real.relativize(p)) {
      if (isUnfinishedWrite(name)) {
        return true;
      }
    }
    return false;
  }

  /** A temporary file of a write that has not been committed ({@link AtomicOutput}'s naming). */
  private static boolean isUnfinishedWrite(Path p) {
    String n = p.getFileName().toString();
    return n.startsWith(".") && n.contains(".spool-") && n.endsWith(".partial");
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        b.append(String.format(Locale.ROOT, "\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  @Override
  public void put(Path source, String path) {
    if (!Files.isRegularFile(source)) {
      throw new InputNotFoundException("not a regular file: " + source);
    }
    Path target = locate(VolumePath.normalize(path));
    try (Write w = write(path, null)) {
      Files.copy(source, w.file(), StandardCopyOption.REPLACE_EXISTING);
      w.commit();
    } catch (IOException e) {
      throw AtomicOutput.failure(target, "cannot put " + source + " into " + name + ":" + path, e);
    }
  }

  @Override
  public void get(String path, Path target) {
    Path src = readable(path, null);
    try (AtomicOutput out = AtomicOutput.beside(target)) {
      Files.copy(src, out.temporary(), StandardCopyOption.REPLACE_EXISTING);
      out.publish();
    } catch (IOException e) {
      throw AtomicOutput.failure(target, "cannot get " + name + ":" + path, e);
    }
  }

  /** Removes the file at {@code path}; when that is a link, the link and not what it leads to. */
  @Override
  public boolean remove(String path) {
    String clean = VolumePath.normalize(path);
    if (clean.isEmpty()) {
      throw new BadArgumentException("a file path inside volume " + name + " is needed");
    }
    Path in = folder.folderOf(clean);
    Path target = in.resolve(clean.substring(clean.lastIndexOf('/') + 1));
    if (Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new BadArgumentException(name + ":" + path + " is a folder; remove the files in it");
    }
    try {
      return Files.deleteIfExists(target);
    } catch (IOException e) {
      throw io("remove " + name + ":" + path, e);
    }
  }

  @Override
  public Optional<Read> read(String path) {
    Path f = locate(path);
    return Files.isRegularFile(f) ? FileRange.open(f, name + ":" + path) : Optional.empty();
  }

  /** A file of this host opened for reading as a volume's file is ({@link #read}), or empty where there is none. */
  public static Optional<Read> readFile(Path file) {
    return Files.isRegularFile(file) ? FileRange.open(file, file.toString()) : Optional.empty();
  }

  @Override
  public Path readable(String path, Path scratch) {
    Path f = locate(path);
    if (!Files.isRegularFile(f)) {
      throw new InputNotFoundException("not found in volume " + name + ": " + path);
    }
    return f;
  }

  /** {@inheritDoc} The folders it needs are made inside the volume, never through a link out of it. */
  @Override
  public Write write(String path, Path scratch) {
    String clean = VolumePath.normalize(path);
    Path target = locate(clean);
    folder.createParents(target, clean);
    return atomicWrite(target, name + ":" + clean, () -> folder.checkStillInside(target, clean));
  }

  /** {@inheritDoc} The folders it needs are made inside the volume, never through a link out of it. */
  @Override
  public Write writeFolder(String path, Path scratch) {
    String clean = VolumePath.normalize(path);
    Path target = locate(clean);
    folder.createParents(target, clean);
    return folderWrite(target, name + ":" + clean, () -> folder.checkStillInside(target, clean));
  }

  /** An atomic write of a local folder: a hidden temporary folder beside it, renamed to it on commit. */
  public static Write writeFolder(Path target) {
    return folderWrite(target, target.toString(), () -> {});
  }

  private static Write folderWrite(Path target, String shownAs, Runnable beforeCommit) {
    AtomicFolder out = AtomicFolder.beside(target);
    return new Write() {
      @Override
      public Path file() {
        return out.temporary();
      }

      @Override
      public void commit() {
        beforeCommit.run();
        out.publish();
      }

      @Override
      public void commitNew() {
        beforeCommit.run();
        out.publishNew(shownAs);
      }

      @Override
      public void commitReplacing(io.spool.media.FileIdentity expected) {
        throw new BadArgumentException("a folder output replaces what is there or nothing, not one judged file: " + shownAs);
      }

      @Override
      public void close() {
        out.close();
      }
    };
  }

  /** An atomic write of a local file: a hidden temporary beside it, renamed over it on commit. */
  public static Write writeFile(Path target) {
    return atomicWrite(target, target.toString(), () -> {});
  }

  private static Write atomicWrite(Path target, String shownAs, Runnable beforeCommit) {
    AtomicOutput out = AtomicOutput.beside(target);
    return new Write() {
      @Override
      public Path file() {
        return out.temporary();
      }

      @Override
      public Optional<Path> localTarget() {
        return Optional.of(out.target());
      }

      @Override
      public void commit() {
        beforeCommit.run();
        out.publish();
      }

      @Override
      public void commitNew() {
        beforeCommit.run();
        out.publishNew(shownAs);
      }

      @Override
      public void commitReplacing(io.spool.media.FileIdentity expected) {
        beforeCommit.run();
        out.publishReplacing(expected, shownAs);
      }

      @Override
      public void close() {
        out.close();
      }
    };
  }

  static SpoolException io(String what, IOException e) {
    return new SpoolException(ErrorCode.IO_ERROR, "cannot " + what + ": " + e.getMessage(), List.of(), e);
  }
}
