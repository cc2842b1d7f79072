package io.spool.media;

import io.spool.media.internal.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The NVIDIA GPUs this host's driver reports, read with {@code nvidia-smi}. Seeing a GPU says
 * nothing about encoding on it (an H100 has no NVENC); only the capability probe's test encode does.
 */
public final class GpuDevices {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /**
   * One GPU.
   *
   * @param name e.g. {@code NVIDIA H200}
   * @param driver the driver's version
   * @param memoryMiB the card's memory
   */
  public record Gpu(String name, String driver, long memoryMiB) {}

  /** What was found, and why the list is empty when it is. */
  public record Found(List<Gpu> gpus, String note) {}

  private GpuDevices() {}

  public static Found nvidia() {
    CommandRunner.Result r;
    try {
      r = CommandRunner.run(List.of("nvidia-smi", "--query-gpu=name,driver_version,memory.total",
          "--format=csv,noheader,nounits"), TIMEOUT, io.spool.media.UsageMeter.NONE);
    } catch (EnvironmentException e) {
      return new Found(List.of(), "nvidia-smi is not installed");
    } catch (TimeoutExceededException e) {
      return new Found(List.of(), "nvidia-smi did not answer within " + TIMEOUT.toSeconds() + " s");
    }
    if (!r.ok()) {
      return new Found(List.of(), "nvidia-smi failed: " + r.lastErrorLine());
    }
    return new Found(parse(r.stdout()), "");
  }

  /** Lines such as {@code NVIDIA H200, 580.159.04, 143771}. */
  static List<Gpu> parse(String csv) {
    List<Gpu> gpus = new ArrayList<>();
    for (String line : csv.split("\\R")) {
      String[] f = line.split(",");
      if (f.length == 3 && !f[0].isBlank()) {
        long mib;
        try {
          mib = Long.parseLong(f[2].strip());
        } catch (NumberFormatException e) {
          mib = 0;
        }
        gpus.add(new Gpu(f[0].strip(), f[1].strip(), mib));
      }
    }
    return List.copyOf(gpus);
  }
}
