package io.spool.volumes;

import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import io.spool.media.internal.AtomicOutput;
import io.spool.media.internal.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The named volumes of one Spool home: a local volume is a directory under {@code volumesDir}; an
 * S3 volume is recorded in {@code volumesDir/.s3/NAME.properties} (a name no volume can have).
 * {@code VolumeStore.at(home.resolve("volumes")).create("media")}. Close it to release the S3
 * clients it opened, one for each service address.
 */
public final class VolumeStore implements AutoCloseable {
  /** Where S3 volumes are recorded: a name that no volume can have, since none starts with '.'. */
  private static final String S3_DIR = ".s3";

  private final Path dir;
  private final S3Clients clients = new S3Clients();

  private VolumeStore(Path dir) {
    this.dir = dir;
  }

  public static VolumeStore at(Path volumesDir) {
    return new VolumeStore(volumesDir.toAbsolutePath());
  }

  /** Creates the volume if missing (like the guide's {@code create_if_missing=True}). */
  public LocalVolume create(String name) {
    VolumePath.checkName(name);
    if (Files.exists(s3File(name))) {
      throw new BadArgumentException("volume '" + name + "' is kept in S3 (" + s3Location(name) + "), not on this host");
    }
    Path root = dir.resolve(name);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw LocalVolume.io("create volume " + name, e);
    }
    return new LocalVolume(name, root);
  }

  /**
   * Records a volume kept in S3 (no error if it is recorded with the same location), once a
   * listing of its bucket shows that the bucket is there and this host's credentials reach it.
   */
  public S3Volume createS3(String name, S3Location location) {
    VolumePath.checkName(name);
    if (Files.isDirectory(dir.resolve(name))) {
      throw new BadArgumentException("volume '" + name + "' already exists on this host; pick another name for "
          + location.url());
    }
    Path file = s3File(name);
    if (Files.exists(file)) {
      S3Location old = s3Location(name);
      if (!old.equals(location)) {
        throw new BadArgumentException("volume '" + name + "' is already " + old + "; remove it first to point it at "
            + location);
      }
    }
    S3Volume v = new S3Volume(name, location, clients.of(location));
    v.check();
    try {
      Files.createDirectories(file.getParent());
      try (AtomicOutput out = AtomicOutput.beside(file)) {
        try (var w = Files.newBufferedWriter(out.temporary(), StandardCharsets.UTF_8)) {
          location.toProperties().store(w, "spool volume " + name);
        }
        out.publish();
      }
    } catch (IOException e) {
      throw LocalVolume.io("record volume " + name, e);
    }
    return v;
  }

  public boolean exists(String name) {
    VolumePath.checkName(name);
    return Files.isDirectory(dir.resolve(name)) || Files.isRegularFile(s3File(name));
  }

  /** An existing volume, local or in S3. */
  public Volume open(String name) {
    if (!exists(name)) {
      throw new BadArgumentException("no volume named '" + name + "' (create it with: spool volume create " + name + ")");
    }
    if (Files.isRegularFile(s3File(name))) {
      S3Location location = s3Location(name);
      return new S3Volume(name, location, clients.of(location));
    }
    return new LocalVolume(name, dir.resolve(name));
  }

  /** An existing volume kept on this host. */
  public LocalVolume openLocal(String name) {
    if (open(name) instanceof LocalVolume v) {
      return v;
    }
    throw new BadArgumentException("volume '" + name + "' is kept in S3 (" + s3Location(name) + "), not on this host");
  }

  public List<String> names() {
    TreeSet<String> names = new TreeSet<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(VolumeStore::isName).forEach(names::add);
      } catch (IOException e) {
        throw LocalVolume.io("list volumes", e);
      }
    }
    Path s3 = dir.resolve(S3_DIR);
    if (Files.isDirectory(s3)) {
      try (Stream<Path> s = Files.list(s3)) {
        s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".properties"))
            .map(n -> n.substring(0, n.length() - ".properties".length())).filter(VolumeStore::isName).forEach(names::add);
      } catch (IOException e) {
        throw LocalVolume.io("list volumes", e);
      }
    }
    return List.copyOf(names);
  }

  private static boolean isName(String name) {
    try {
      VolumePath.checkName(name);
      return true;
    } catch (BadArgumentException e) {
      return false;
    }
  }

  private Path s3File(String name) {
    return dir.resolve(S3_DIR).resolve(name + ".properties");
  }

  private S3Location s3Location(String name) {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(s3File(name), StandardCharsets.UTF_8)) {
      p.load(r);
      return S3Location.fromProperties(p);
    } catch (IOException e) {
      throw LocalVolume.io("read volume " + name, e);
    } catch (BadArgumentException e) {
      throw new SpoolException(ErrorCode.RECORD_DAMAGED, "the record of volume " + name + " (" + s3File(name)
          + ") is damaged: " + e.getMessage());
    }
  }

  /**
   * Deletes a volume; a non-empty local one only with {@code force}. An S3 volume is forgotten:
   * its objects stay in the bucket.
   */
  public void delete(String name, boolean force) {
    Volume opened = open(name);
    if (opened instanceof S3Volume) {
      try {
        Files.delete(s3File(name));
      } catch (IOException e) {
        throw LocalVolume.io("forget volume " + name, e);
      }
      return;
    }
    LocalVolume v = (LocalVolume) opened;
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

  @Override
  public void close() {
    clients.close();
  }
}
