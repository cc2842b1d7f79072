package io.spool.cli;

import io.spool.engine.EngineConfig;
import io.spool.volumes.LocalVolume;
import io.spool.volumes.VolumeEntry;
import io.spool.volumes.VolumePath;
import io.spool.volumes.VolumeStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool volume create|ls|put|get|rm}: named volumes under the Spool home. */
@Command(name = "volume", description = "Manage named volumes (where job inputs and outputs live).",
    subcommands = {VolumeCommand.Create.class, VolumeCommand.Ls.class, VolumeCommand.Put.class,
        VolumeCommand.Get.class, VolumeCommand.Rm.class})
final class VolumeCommand {

  static VolumeStore store() {
    return VolumeStore.at(EngineConfig.volumesDir(SpoolHome.dir()));
  }

  @Command(name = "create", description = "Create a volume (no error if it exists).")
  static final class Create extends SpoolSubcommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      LocalVolume v = store().create(name);
      print(Map.of("volume", name, "path", v.root().toString()), "volume " + name + " at " + v.root());
      return ExitCodes.OK;
    }
  }

  @Command(name = "ls", description = "List volumes, or the files in VOLUME[:PREFIX].")
  static final class Ls extends SpoolSubcommand {
    @Parameters(arity = "0..1", paramLabel = "VOLUME[:PREFIX]")
    String target;

    @Override
    public Integer call() {
      if (target == null) {
        List<String> names = store().names();
        print(names, names.isEmpty() ? "no volumes (spool volume create NAME)" : String.join("\n", names));
        return ExitCodes.OK;
      }
      VolumePath vp = target.contains(":") ? VolumePath.parse(target) : new VolumePath(target, "");
      List<VolumeEntry> entries = store().open(vp.volume()).list(vp.path());
      // Paths are printed as they are, to the end of the line: VOLUME:PATH with any of them is accepted by get and rm.
      List<String> lines = entries.stream()
          .map(e -> String.format(Locale.ROOT, "%10s  %s  %s", Units.bytes(e.sizeBytes()), e.modified(), e.path()))
          .toList();
      print(entries, entries.isEmpty() ? "(empty)" : String.join("\n", lines));
      return ExitCodes.OK;
    }
  }

  @Command(name = "put", description = "Copy a local file into a volume: spool volume put FILE VOLUME:PATH.")
  static final class Put extends SpoolSubcommand {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Parameters(index = "1", paramLabel = "VOLUME:PATH")
    String target;

    @Override
    public Integer call() {
      VolumePath vp = VolumePath.parse(target);
      String path = vp.path().isEmpty() || target.endsWith("/") ? vp.resolve(file.getFileName().toString()).path() : vp.path();
      store().open(vp.volume()).put(file, path);
      print(Map.of("volume", vp.volume(), "path", path), "put " + file + " → " + vp.volume() + ":" + path);
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", description = "Copy a file out of a volume: spool volume get VOLUME:PATH FILE.")
  static final class Get extends SpoolSubcommand {
    @Parameters(index = "0", paramLabel = "VOLUME:PATH")
    String source;

    @Parameters(index = "1", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
      VolumePath vp = VolumePath.parse(source);
      store().open(vp.volume()).get(vp.path(), file);
      print(Map.of("file", file.toString()), "got " + source + " → " + file);
      return ExitCodes.OK;
    }
  }

  @Command(name = "rm", description = "Remove a file (VOLUME:PATH) or a whole volume (VOLUME, with --force if not empty).")
  static final class Rm extends SpoolSubcommand {
    @Parameters(paramLabel = "VOLUME[:PATH]")
    String target;

    @Option(names = "--force", description = "Delete a volume even if it holds files.")
    boolean force;

    @Override
    public Integer call() {
      if (!target.contains(":")) {
        store().delete(target, force);
        print(Map.of("deleted", target), "deleted volume " + target);
        return ExitCodes.OK;
      }
      VolumePath vp = VolumePath.parse(target);
      boolean removed = store().open(vp.volume()).remove(vp.path());
      if (!removed) {
        throw new io.spool.media.InputNotFoundException("not found: " + target);
      }
      print(Map.of("removed", target), "removed " + target);
      return ExitCodes.OK;
    }
  }
}
