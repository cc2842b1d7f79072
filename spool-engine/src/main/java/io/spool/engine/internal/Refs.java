package io.spool.engine.internal;

import io.spool.media.internal.AtomicOutput;
import io.spool.media.RemoteFile;
import io.spool.volumes.LocalVolume;
import io.spool.volumes.S3Volume;
import io.spool.volumes.Volume;
import io.spool.volumes.VolumePath;
import io.spool.volumes.VolumeStore;
import java.nio.file.Path;

/**
 * Input and output references: a local path, or {@code VOLUME:path} when that volume exists. A
 * volume path is read and written only inside its volume ({@link io.spool.volumes.LocalVolume}).
 */
public final class Refs {
  private Refs() {}

  public static boolean isVolume(String ref, VolumeStore volumes) {
    if (!VolumePath.looksLike(ref)) {
      return false;
    }
    return volumes.exists(VolumePath.parse(ref).volume());
  }

  public static Path readable(String ref, VolumeStore volumes, Path scratch) {
    if (isVolume(ref, volumes)) {
      VolumePath vp = VolumePath.parse(ref);
      return volumes.volumeOf(vp).readable(vp.path(), scratch);
    }
    return Path.of(ref);
  }

  /**
   * A presigned URL for the file at {@code ref} that lasts {@code expiry}, named by the reference,
   * where {@code ref} is in a volume kept in S3; empty for any other reference.
   *
   * @throws io.spool.media.InputNotFoundException if the volume holds no such file
   */
  public static java.util.Optional<RemoteFile> remote(String ref, VolumeStore volumes, java.time.Duration expiry) {
    if (!isVolume(ref, volumes)) {
      return java.util.Optional.empty();
    }
    VolumePath vp = VolumePath.parse(ref);
    if (!(volumes.volumeOf(vp) instanceof S3Volume s3)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new RemoteFile(s3.presignedGet(vp.path(), expiry), vp.volume() + ":" + vp.path()));
  }

  /** Whether a file (or a link), or a folder (of a volume's, or of files in S3), is stored at {@code ref}. */
  public static boolean exists(String ref, VolumeStore volumes) {
    if (isVolume(ref, volumes)) {
      VolumePath vp = VolumePath.parse(ref);
      Volume v = volumes.volumeOf(vp);
      if (v.exists(vp.path())) {
        return true;
      }
      if (!(v instanceof LocalVolume)) {
        return !v.list(vp.path()).isEmpty(); // a folder of objects
      }
      return localFile(ref, volumes).map(p -> java.nio.file.Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).orElse(false);
    }
    return java.nio.file.Files.exists(Path.of(ref), java.nio.file.LinkOption.NOFOLLOW_LINKS);
  }

  /** Removes the file at {@code ref}; false when there was none. */
  public static boolean remove(String ref, VolumeStore volumes) {
    if (isVolume(ref, volumes)) {
      VolumePath vp = VolumePath.parse(ref);
      return volumes.volumeOf(vp).remove(vp.path());
    }
    try {
      return java.nio.file.Files.deleteIfExists(Path.of(ref));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The size and last change of the file at {@code ref} as one line, for telling one version of an
   * input from another; empty when it cannot be read.
   */
  public static java.util.Optional<String> identity(String ref, VolumeStore volumes) {
    if (isVolume(ref, volumes)) {
      VolumePath vp = VolumePath.parse(ref);
      return volumes.volumeOf(vp).list(vp.path()).stream().filter(e -> e.path().equals(vp.path()))
          .findFirst().map(e -> e.sizeBytes() + " " + e.modified());
    }
    return io.spool.media.FileIdentity.of(Path.of(ref).toAbsolutePath()).map(String::valueOf);
  }

  /** Where {@code ref} (a local file, or a file in a volume kept on this host) lies; empty for other volumes. */
  public static java.util.Optional<Path> localFile(String ref, VolumeStore volumes) {
    if (isVolume(ref, volumes)) {
      VolumePath vp = VolumePath.parse(ref);
      return volumes.volumeOf(vp) instanceof LocalVolume lv ? java.util.Optional.of(lv.locate(vp.path()))
          : java.util.Optional.empty();
    }
    return java.util.Optional.of(Path.of(ref));
  }

  /**
   * Whether a file stored at {@code ref} was last changed at or after {@code sinceMillis}, for
   * files on this host (a local path, or a volume kept here); false for anything else.
   */
  public static boolean modifiedSince(String ref, VolumeStore volumes, long sinceMillis) {
    return localFile(ref, volumes).map(file -> {
      try {
        return java.nio.file.Files.getLastModifiedTime(file, java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis() >= sinceMillis;
      } catch (java.io.IOException e) {
        return false;
      }
    }).orElse(false);
  }

  /**
   * Removes the temporary files that killed writers of {@code ref} left beside it, for files on
   * this host (a local path, or a volume kept here). Returns how many it removed.
   */
  public static int removeAbandonedWrites(String ref, VolumeStore volumes) {
    return localFile(ref, volumes).map(AtomicOutput::removeAbandonedOf).orElse(0);
  }

  /** An output folder at {@code ref}, published whole on commit (see {@link Volume#writeFolder}). */
  public static Volume.Write writableFolder(String ref, VolumeStore volumes, Path scratch) {
    if (isVolume(ref, volumes)) {
      VolumePath vp = VolumePath.parse(ref);
      return volumes.volumeOf(vp).writeFolder(vp.path(), scratch);
    }
    return LocalVolume.writeFolder(Path.of(ref));
  }

  public static Volume.Write writable(String ref, VolumeStore volumes, Path scratch) {
    if (isVolume(ref, volumes)) {
      VolumePath vp = VolumePath.parse(ref);
      return volumes.volumeOf(vp).write(vp.path(), scratch);
    }
    return LocalVolume.writeFile(Path.of(ref));
  }
}
