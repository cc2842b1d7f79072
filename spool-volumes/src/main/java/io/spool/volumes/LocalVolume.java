package io.spool.volumes;

import io.spool.media.ErrorCode;
import io.spool.media.InputNotFoundException;
import io.spool.media.SpoolException;
import io.spool.media.internal.AtomicOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A volume stored as a directory. Commits are renames inside that directory, so they are atomic. */
public final class LocalVolume implements Volume {
  private final String name;
  private final Path root;

  LocalVolume(String name, Path root) {
    this.name = name;
    this.root = root;
  }

  @Override
  public String name() {
    return name;
  }

  /** The directory holding this volume's files. */
  public Path root() {
    return root;
  }

  Path file(String path) {
    String clean = VolumePath.normalize(path);
    if (clean.isEmpty()) {
      throw new io.spool.media.BadArgumentException("a file path inside volume " + name + " is needed");
    }
    return root.resolve(clean);
  }

  @Override
  public boolean exists(String path) {
    return Files.isRegularFile(file(path));
  }

  @Override
  public List<VolumeEntry> list(String prefix) {
    String clean = VolumePath.normalize(prefix);
    Path start = clean.isEmpty() ? root : root.resolve(clean);
    if (!Files.exists(start)) {
      return List.of();
    }
    List<VolumeEntry> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(start)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (p.getFileName().toString().endsWith(".partial")) {
          continue;
        }
        entries.add(new VolumeEntry(rel, Files.size(p), Files.getLastModifiedTime(p).toInstant()));
      }
    } catch (IOException e) {
      throw io("list volume " + name, e);
    }
    return entries;
  }

  @Override
  public void put(Path source, String path) {
    if (!Files.isRegularFile(source)) {
      throw new InputNotFoundException("not a regular file: " + source);
    }
    Path target = file(path);
    try (Write w = writeFile(target)) {
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

  @Override
  public boolean remove(String path) {
    try {
      return Files.deleteIfExists(file(path));
    } catch (IOException e) {
      throw io("remove " + name + ":" + path, e);
    }
  }

  @Override
  public Path readable(String path, Path scratch) {
    Path f = file(path);
    if (!Files.isRegularFile(f)) {
      throw new InputNotFoundException("not found in volume " + name + ": " + path);
    }
    return f;
  }

  @Override
  public Write write(String path, Path scratch) {
    return writeFile(file(path));
  }

  /** An atomic write of a local file: a hidden temporary beside it, renamed over it on commit. */
  public static Write writeFile(Path target) {
    AtomicOutput out = AtomicOutput.beside(target);
    return new Write() {
      @Override
      public Path file() {
        return out.temporary();
      }

      @Override
      public void commit() {
        out.publish();
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
