package io.spool.engine.internal;

import io.spool.volumes.LocalVolume;
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

  /** Whether a file (or a link) is stored at {@code ref}. */
  public static boolean exists(String ref, VolumeStore volumes) {
    if (isVolume(ref, volumes)) {
      VolumePath vp = VolumePath.parse(ref);
      return volumes.volumeOf(vp).exists(vp.path());
    }
    return java.nio.file.Files.exists(Path.of(ref), java.nio.file.LinkOption.NOFOLLOW_LINKS);
  }

  public static Volume.Write writable(String ref, VolumeStore volumes, Path scratch) {
    if (isVolume(ref, volumes)) {
      VolumePath vp = VolumePath.parse(ref);
      return volumes.volumeOf(vp).write(vp.path(), scratch);
    }
    return LocalVolume.writeFile(Path.of(ref));
  }
}
