package io.spool.media;

import io.spool.media.internal.CommandRunner;
import io.spool.media.internal.FailureClassifier;
import io.spool.media.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out what this host's ffmpeg can do, caching the answer in a folder (one file per ffmpeg
 * binary) so that later commands pay nothing. {@code refresh} ignores the cache; an entry older
 * than a day, or for a changed ffmpeg binary, is redone.
 */
public final class CapabilityProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MAX_AGE = Duration.ofHours(24);
  private static final List<String> GPU_ENCODERS = List.of("h264_nvenc", "hevc_nvenc", "av1_nvenc");
  /** Lines such as " V....D libx264   libx264 H.264 ..." from -encoders/-decoders. */
  private static final Pattern CODEC_LINE = Pattern.compile("^ ([VAS][A-Z.]{5}) (\\S+)\\s");
  /** Lines such as " TSC scale  V->V  Scale the input..." from -filters. */
  private static final Pattern FILTER_LINE = Pattern.compile("^ ([A-Z.]{3}) (\\S+)\\s+\\S+->\\S+");

  private final Toolchain tools;
  private final Path cacheDir;

  private CapabilityProbe(Toolchain tools, Path cacheDir) {
    this.tools = tools;
    this.cacheDir = cacheDir;
  }

  /** @param cacheDir where answers are kept; null disables caching */
  public static CapabilityProbe using(Toolchain tools, Path cacheDir) {
    return new CapabilityProbe(tools, cacheDir);
  }

  public Capabilities capabilities(boolean refresh) {
    Path cacheFile = cacheFile();
    if (!refresh && cacheFile != null) {
      Capabilities cached = read(cacheFile);
      if (cached != null) {
        return cached;
      }
    }
    Capabilities fresh = probe();
    if (cacheFile != null) {
      write(cacheFile, fresh);
    }
    return fresh;
  }

  private Capabilities probe() {
    String version = firstLine(ffmpeg("-version"));
    Set<String> encoders = codecs(ffmpeg("-encoders"));
    Set<String> decoders = codecs(ffmpeg("-decoders"));
    Set<String> filters = new TreeSet<>();
    for (String line : ffmpeg("-filters").split("\\R")) {
      Matcher m = FILTER_LINE.matcher(line);
      if (m.find()) {
        filters.add(m.group(2));
      }
    }
    Set<String> hwaccels = new TreeSet<>();
    boolean list = false;
    for (String line : ffmpeg("-hwaccels").split("\\R")) {
      if (list && !line.isBlank()) {
        hwaccels.add(line.strip());
      }
      list |= line.startsWith("Hardware acceleration methods");
    }
    List<GpuEncoderCheck> gpu = new ArrayList<>();
    for (String encoder : GPU_ENCODERS) {
      gpu.add(testEncode(encoder, encoders.contains(encoder)));
    }
    return new Capabilities(tools.ffmpeg().toString(), version, encoders, decoders, filters, hwaccels, gpu,
        GpuDevices.nvidia(), Instant.now());
  }

  /** One tiny frame through the encoder: the only proof that the GPU, driver and build all work. */
  private GpuEncoderCheck testEncode(String encoder, boolean listed) {
    if (!listed) {
      return new GpuEncoderCheck(encoder, false, false, "this ffmpeg build has no " + encoder);
    }
    CommandRunner.Result r = CommandRunner.run(List.of(tools.ffmpeg().toString(),
        "-hide_banner", "-nostdin", "-loglevel", "level+error",
        "-f", "lavfi", "-i", "color=c=black:s=256x256:r=25:d=0.04",
        "-frames:v", "1", "-c:v", encoder, "-f", "null", "-"), TIMEOUT, tools.meter());
    if (r.ok()) {
      return new GpuEncoderCheck(encoder, true, true, "test encode succeeded");
    }
    String reason = FailureClassifier.reason(List.of(r.stderr().strip().split("\\R")));
    return new GpuEncoderCheck(encoder, true, false, "test encode failed: " + reason);
  }

  private String ffmpeg(String flag) {
    CommandRunner.Result r = CommandRunner.run(List.of(tools.ffmpeg().toString(), "-hide_banner", flag), TIMEOUT, tools.meter());
    if (!r.ok()) {
      throw new EnvironmentException("ffmpeg " + flag + " failed: " + r.lastErrorLine());
    }
    return r.stdout();
  }

  private static Set<String> codecs(String listing) {
    Set<String> names = new TreeSet<>();
    boolean body = false;
    for (String line : listing.split("\\R")) {
      if (line.strip().startsWith("------")) {
        body = true;
        continue;
      }
      Matcher m = CODEC_LINE.matcher(line);
      if (body && m.find()) {
        names.add(m.group(2));
      }
    }
    return names;
  }

  private static String firstLine(String s) {
    String line = s.strip().split("\\R")[0];
    return line.replaceFirst("^ffmpeg version (\\S+).*", "$1");
  }

  /** One cache file per ffmpeg binary, keyed by its path, size and modification time. */
  private Path cacheFile() {
    if (cacheDir == null) {
      return null;
    }
    try {
      Path bin = tools.ffmpeg().toRealPath();
      String key = Integer.toHexString((bin + ":" + Files.size(bin) + ":" + Files.getLastModifiedTime(bin)).hashCode());
      return cacheDir.resolve("capabilities-" + key + ".json");
    } catch (IOException e) {
      return null;
    }
  }

  private static Capabilities read(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      Capabilities c = Json.MAPPER.readValue(file.toFile(), Capabilities.class);
      return c.probedAt().isAfter(Instant.now().minus(MAX_AGE)) ? c : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void write(Path file, Capabilities c) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".capabilities", ".tmp");
      Json.MAPPER.writeValue(tmp.toFile(), c);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(CapabilityProbe.class).warn("could not cache capabilities: {}", e.toString());
    }
  }
}
