package io.spool.volumes;

import io.spool.media.BadArgumentException;
import io.spool.media.internal.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The named volumes of one Spool home: each is a directory under {@code volumesDir}.
 * {@code VolumeStore.at(home.resolve("volumes")).create("media")}.
 */
public final class VolumeStore {
  private final Path dir;

  private VolumeStore(Path dir) {
    this.dir = dir;
  }

  public static VolumeStore at(Path volumesDir) {
    return new VolumeStore(volumesDir.toAbsolutePath());
  }

  /** Creates the volume if missing (like the guide's {@code create_if_missing=True}). */
  public LocalVolume create(String name) {
    VolumePath.checkName(name);
    Path root = dir.resolve(name);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw LocalVolume.io("create volume " + name, e);
    }
    return new LocalVolume(name, root);
  }

  public boolean exists(String name) {
    VolumePath.checkName(name);
    return Files.isDirectory(dir.resolve(name));
  }

  /** An existing volume. */
  public LocalVolume open(String name) {
    if (!exists(name)) {
      throw new BadArgumentException("no volume named '" + name + "' (create it with: spool volume create " + name + ")");
    }
    return new LocalVolume(name, dir.resolve(name));
  }

  public List<String> names() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw LocalVolume.io("list volumes", e);
    }
  }

  /** Deletes a volume; a non-empty one only with {@code force}. */
  public void delete(String name, boolean force) {
    LocalVolume v = open(name);
    if (!force && holdsFiles(v)) {
      throw new BadArgumentException("volume '" + name + "' is not empty; use --force to delete it with its files");
    }
    try {
      FileTrees.delete(v.root());
    } catch (IOException e) {
      throw LocalVolume.io("delete volume " + name, e);
    }
  }

  /** Whether anything but folders is stored in the volume, listed or not. */
  private static boolean holdsFiles(LocalVolume v) {
    try (Stream<Path> walk = Files.walk(v.root().toRealPath())) {
      return walk.anyMatch(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      throw LocalVolume.io("read volume " + v.name(), e);
    }
  }

  /** Resolves a {@code VOLUME:path} reference to a volume that exists. */
  public Volume volumeOf(VolumePath ref) {
    return open(ref.volume());
  }
}
