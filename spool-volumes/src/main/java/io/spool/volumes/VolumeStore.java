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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
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
  private final S3Clients clients;
  /** S3 volumes a job carries, found before this home's volumes of the same name (see {@link #with}). */
  private final Map<String, S3Location> carried;
  /** Whether closing this store closes its clients: false for a view made by {@link #with}. */
  private final boolean ownsClients;

  private VolumeStore(Path dir, S3Clients clients, Map<String, S3Location> carried, boolean ownsClients) {
    this.dir = dir;
    this.clients = clients;
    this.carried = Map.copyOf(carried);
    this.ownsClients = ownsClients;
  }

  public static VolumeStore at(Path volumesDir) {
    return new VolumeStore(volumesDir.toAbsolutePath(), new S3Clients(), Map.of(), true);
  }

  /**
   * This store, with the S3 volumes {@code s3} (as {@link #s3LocationsOf} described them where a job
   * was submitted) in front of this home's volumes of the same names: a worker on another host runs
   * the job against the volumes its submitter meant, whatever its own home records. It shares this
   * store's clients; closing it closes nothing.
   */
  public VolumeStore with(Map<String, S3Location> s3) {
    if (s3.isEmpty()) {
      return this;
    }
    s3.keySet().forEach(VolumePath::checkName);
    Map<String, S3Location> all = new HashMap<>(carried);
    all.putAll(s3);
    return new VolumeStore(dir, clients, all, false);
  }

  /**
   * The S3 volumes that {@code refs} name ({@code VOLUME:path} references; others are left out),
   * by name: what a job carries so that workers whose homes do not record them can use them.
   */
  public Map<String, S3Location> s3LocationsOf(Collection<String> refs) {
    Map<String, S3Location> found = new TreeMap<>();
    for (String ref : refs) {
      if (ref == null || !VolumePath.looksLike(ref)) {
        continue;
      }
      String name;
      try {
        name = VolumePath.parse(ref).volume();
      } catch (BadArgumentException e) {
        continue;
      }
      if (!found.containsKey(name) && exists(name) && open(name) instanceof S3Volume v) {
        found.put(name, v.location());
      }
    }
    return found;
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
    S3Volume v = new S3Volume(name, location, clients.of(location), () -> clients.presignerOf(location));
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
    return carried.containsKey(name) || Files.isDirectory(dir.resolve(name)) || Files.isRegularFile(s3File(name));
  }

  /** An existing volume, local or in S3. */
  public Volume open(String name) {
    if (!exists(name)) {
      throw new BadArgumentException("no volume named '" + name + "' (create it with: spool volume create " + name + ")");
    }
    if (carried.containsKey(name)) {
      S3Location location = carried.get(name);
      return new S3Volume(name, location, clients.of(location), () -> clients.presignerOf(location));
    }
    if (Files.isRegularFile(s3File(name))) {
      S3Location location = s3Location(name);
      return new S3Volume(name, location, clients.of(location), () -> clients.presignerOf(location));
    }
    return new LocalVolume(name, dir.resolve(name));
  }

  /** An existing volume kept on this host. */
  public LocalVolume openLocal(String name) {
    Volume v = open(name);
    if (v instanceof LocalVolume local) {
      return local;
    }
    throw new BadArgumentException("volume '" + name + "' is kept in S3 (" + ((S3Volume) v).location() + "), not on this host");
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
    if (ownsClients) {
      clients.close();
    }
  }
}
