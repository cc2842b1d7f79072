package io.spool.volumes;

import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The folder of a local volume, and the one place where volume paths become files in it. A path
 * resolves inside the folder or not at all: links are followed only while they stay inside, and
 * the part of the path that exists is returned as its real path, so that what is opened later is
 * what was checked now. The folder itself may be a link (to another disk, say): inside means
 * inside its real folder.
 */
final class VolumeFolder {
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private final String volume;
  private final Path root;

  VolumeFolder(String volume, Path root) {
    this.volume = volume;
    this.root = root;
  }

  /** The volume's folder as its real path, links resolved. */
  Path real() {
    try {
      return root.toRealPath();
    } catch (IOException e) {
      throw LocalVolume.io("open volume " + volume, e);
    }
  }

  /**
   * Where {@code path} (normalized, "" for the volume itself) lies: the real path of its longest
   * existing part, followed by the names that do not exist yet. Refuses a path that leads outside
   * the volume, and a link to nothing.
   */
  Path resolve(String path) {
    return resolve(path, path);
  }

  /**
   * The real folder that the file at {@code path} is in, resolved like {@link #resolve}; the file
   * itself is not looked at, so a link there stays a link.
   */
  Path folderOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? real() : resolve(path.substring(0, slash), path);
  }

  /** Resolves {@code path}; errors name {@code shown}, the path that was asked for. */
  private Path resolve(String path, String shown) {
    Path real = real();
    Path lexical = lexical(real, path);
    Path existing = lexical;
    while (!existing.equals(real) && !Files.exists(existing, NOFOLLOW)) {
      existing = existing.getParent();
    }
    Path resolved;
    try {
      resolved = existing.toRealPath();
    } catch (NoSuchFileException e) {
      if (Files.isSymbolicLink(existing)) {
        throw danglingLink(real, lexical, existing, shown);
      }
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot resolve " + ref(shown) + ": it changed while being read",
          List.of(), e);
    } catch (IOException e) {
      throw LocalVolume.io("resolve " + ref(shown), e);
    }
    if (!resolved.startsWith(real)) {
      throw outside(real, lexical, shown);
    }
    return resolved.resolve(existing.relativize(lexical));
  }

  /**
   * Creates the folders {@code file} (from {@link #resolve}) needs, one at a time, each checked to
   * be a real folder inside the volume once made: a folder swapped for a link meanwhile is refused
   * before anything is written through it.
   */
  void createParents(Path file, String path) {
    Path real = real();
    Deque<Path> missing = new ArrayDeque<>();
    Path p = file.getParent();
    while (!p.equals(real) && !Files.exists(p, NOFOLLOW)) {
      missing.push(p);
      p = p.getParent();
    }
    checkReal(real, p, file, path);
    for (Path folder : missing) {
      try {
        Files.createDirectory(folder);
      } catch (FileAlreadyExistsException e) {
        // made meanwhile by someone else: checked like our own
      } catch (IOException e) {
        throw LocalVolume.io("create folder for " + ref(path), e);
      }
      checkReal(real, folder, file, path);
    }
  }

  /** Refuses to publish {@code file} when its folder is no longer the real folder it was resolved to. */
  void checkStillInside(Path file, String path) {
    checkReal(real(), file.getParent(), file, path);
  }

  private void checkReal(Path real, Path folder, Path file, String path) {
    Path actual;
    try {
      actual = folder.toRealPath();
    } catch (IOException e) {
      throw LocalVolume.io("resolve " + ref(path), e);
    }
    if (!actual.equals(folder) || !actual.startsWith(real)) {
      throw outside(real, lexical(real, path), path);
    }
  }

  /**
   * The volume path that names {@code file}, a file found under the real folder, or empty when no
   * volume path can name it (a control character in its name, or bytes that are not text in this
   * system's file name encoding).
   */
  Optional<String> pathOf(Path real, Path file) {
    List<String> names = new ArrayList<>();
    for (Path name : real.relativize(file)) {
      names.add(name.toString());
    }
    String path = String.join("/", names);
    try {
      return VolumePath.normalize(path).equals(path) && lexical(real, path).equals(file) ? Optional.of(path)
          : Optional.empty();
    } catch (BadArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code path} under {@code real}, name by name, so no name can split into several on this system. */
  private Path lexical(Path real, String path) {
    Path p = real;
    if (path.isEmpty()) {
      return p;
    }
    for (String name : path.split("/")) {
      Path next;
      try {
        next = p.resolve(name);
      } catch (InvalidPathException e) {
        throw new BadArgumentException(ref(path) + " cannot be a file name on this system: " + e.getReason());
      }
      if (!p.equals(next.getParent()) || !name.equals(next.getFileName().toString())) {
        throw new BadArgumentException(ref(path) + " cannot be a file name on this system: '" + name + "'");
      }
      p = next;
    }
    return p;
  }

  private BadArgumentException outside(Path real, Path lexical, String path) {
    return new BadArgumentException(ref(path) + " leads outside volume " + volume + linkOnTheWay(real, lexical));
  }

  private BadArgumentException danglingLink(Path real, Path lexical, Path link, String path) {
    try {
      Path target = Files.readSymbolicLink(link);
      if (!link.getParent().resolve(target).normalize().startsWith(real)) {
        return outside(real, lexical, path);
      }
      String what = link.equals(lexical) ? " is" : " goes through " + ref(real.relativize(link)) + ",";
      return new BadArgumentException(ref(path) + what + " a link to something missing (" + target + ")");
    } catch (IOException e) {
      return new BadArgumentException(ref(path) + " goes through a link to a missing file");
    }
  }

  /** Names the first link on the way that leads outside, e.g. " (media:in is a link to /tmp)". */
  private String linkOnTheWay(Path real, Path lexical) {
    Path p = real;
    for (Path name : real.relativize(lexical)) {
      p = p.resolve(name);
      if (Files.isSymbolicLink(p)) {
        try {
          Path target = Files.readSymbolicLink(p);
          Path to = p.getParent().resolve(target).normalize();
          Optional<Path> realTo = Files.exists(p) ? Optional.of(p.toRealPath()) : Optional.empty();
          if (!realTo.orElse(to).startsWith(real)) {
            return " (" + ref(real.relativize(p)) + " is a link to " + target + ")";
          }
        } catch (IOException e) {
          return "";
        }
      }
    }
    return "";
  }

  private String ref(Path relative) {
    return ref(relative.toString());
  }

  private String ref(String path) {
    return volume + ":" + path;
  }
}
