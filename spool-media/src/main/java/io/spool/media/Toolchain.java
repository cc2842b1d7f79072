package io.spool.media;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where ffmpeg and ffprobe live on this host, found from {@code SPOOL_FFMPEG} and
 * {@code SPOOL_FFPROBE}, then from {@code PATH}; and the meter that every process started with
 * these tools reports its use to ({@link UsageMeter#NONE} unless {@link #metered} says otherwise).
 */
public record Toolchain(Path ffmpeg, Path ffprobe, UsageMeter meter) {

  public Toolchain {
    Objects.requireNonNull(ffmpeg, "ffmpeg");
    Objects.requireNonNull(ffprobe, "ffprobe");
    meter = meter == null ? UsageMeter.NONE : meter;
  }

  public Toolchain(Path ffmpeg, Path ffprobe) {
    this(ffmpeg, ffprobe, UsageMeter.NONE);
  }

  /** The same tools, with the processes they start recorded by {@code meter}. */
  public Toolchain metered(UsageMeter meter) {
    return new Toolchain(ffmpeg, ffprobe, meter);
  }

  /** Locates both tools from the process environment. */
  public static Toolchain locate() {
    return locate(System.getenv());
  }

  /**
   * Locates both tools from the given environment.
   *
   * @throws EnvironmentException naming the missing tool and how to install it
   */
  public static Toolchain locate(Map<String, String> env) {
    return new Toolchain(find("ffmpeg", "SPOOL_FFMPEG", env), find("ffprobe", "SPOOL_FFPROBE", env));
  }

  private static Path find(String name, String variable, Map<String, String> env) {
    String explicit = env.get(variable);
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toAbsolutePath();
      }
      throw new EnvironmentException(variable + "=" + explicit + " is not an executable file");
    }
    return onPath(name, env.getOrDefault("PATH", ""))
        .orElseThrow(() -> new EnvironmentException(
            name + " not found on PATH; install it (Debian/Ubuntu: apt-get install -y ffmpeg) or set " + variable));
  }

  private static Optional<Path> onPath(String name, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }
}
