package io.spool.cli;

import io.spool.engine.EngineConfig;
import io.spool.volumes.LocalVolume;
import io.spool.volumes.S3Location;
import io.spool.volumes.S3Volume;
import io.spool.volumes.VolumeEntry;
import io.spool.volumes.VolumePath;
import io.spool.volumes.VolumeStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool volume create|ls|put|get|rm}: named volumes, under the Spool home or in S3. */
@Command(name = "volume", description = "Manage named volumes (where job inputs and outputs live).",
    subcommands = {VolumeCommand.Create.class, VolumeCommand.Ls.class, VolumeCommand.Put.class,
        VolumeCommand.Get.class, VolumeCommand.Rm.class})
final class VolumeCommand {

  static VolumeStore store() {
    return VolumeStore.at(EngineConfig.volumesDir(SpoolHome.dir()));
  }

  @Command(name = "create", description = "Create a volume (no error if it exists): a folder under the Spool home, "
      + "or with --s3 a bucket prefix of an S3-compatible service.")
  static final class Create extends SpoolSubcommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--s3", paramLabel = "s3://BUCKET[/PREFIX]",
        description = "Keep the volume in this S3 bucket, under this prefix. Credentials come from AWS's standard "
            + "chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws, the host's role).")
    String s3;

    @Option(names = "--endpoint", paramLabel = "URL", description = "The S3-compatible service's address (default: AWS).")
    String endpoint;

    @Option(names = "--path-style", description = "Put the bucket in the path of requests, not the host name "
        + "(most S3-compatible services need it).")
    boolean pathStyle;

    @Option(names = "--region", paramLabel = "REGION",
        description = "The region to sign requests for (default: AWS_REGION or the profile's, else us-east-1).")
    String region;

    @Override
    public Integer call() {
      if (s3 == null) {
        if (endpoint != null || pathStyle || region != null) {
          throw new io.spool.media.BadArgumentException("--endpoint, --path-style and --region go with --s3");
        }
        LocalVolume v = store().create(name);
        print(Map.of("volume", name, "path", v.root().toString()), "volume " + name + " at " + v.root());
        return ExitCodes.OK;
      }
      S3Location location = S3Location.parse(s3, S3Location.endpoint(endpoint), pathStyle, region);
      try (VolumeStore store = store()) {
        store.createS3(name, location);
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("volume", name);
      json.put("s3", location.url());
      json.put("endpoint", location.endpoint() == null ? null : location.endpoint().toString());
      print(json, "volume " + name + " at " + location);
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
      List<VolumeEntry> entries;
      try (VolumeStore store = store()) {
        entries = store.open(vp.volume()).list(vp.path());
      }
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
      try (VolumeStore store = store()) {
        store.open(vp.volume()).put(file, path);
      }
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
      try (VolumeStore store = store()) {
        store.open(vp.volume()).get(vp.path(), file);
      }
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
        try (VolumeStore store = store()) {
          boolean s3 = store.open(target) instanceof S3Volume;
          store.delete(target, force);
          print(Map.of("deleted", target), s3 ? "forgot volume " + target + " (its objects stay in S3)"
              : "deleted volume " + target);
        }
        return ExitCodes.OK;
      }
      VolumePath vp = VolumePath.parse(target);
      boolean removed;
      try (VolumeStore store = store()) {
        removed = store.open(vp.volume()).remove(vp.path());
      }
      if (!removed) {
        throw new io.spool.media.InputNotFoundException("not found: " + target);
      }
      print(Map.of("removed", target), "removed " + target);
      return ExitCodes.OK;
    }
  }
}
