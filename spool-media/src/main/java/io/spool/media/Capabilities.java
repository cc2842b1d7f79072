package io.spool.media;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What this host's ffmpeg can do, and the GPUs its driver reports. GPU encoders count as available
 * only when a real test encode succeeded: ffmpeg lists NVENC encoders even on machines without an
 * NVIDIA GPU, and some NVIDIA GPUs have no encoder.
 */
@JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public record Capabilities(
    String ffmpegPath,
    String ffmpegVersion,
    Set<String> encoders,
    Set<String> decoders,
    Set<String> filters,
    Set<String> hwaccels,
    List<GpuEncoderCheck> gpuEncoders,
    GpuDevices.Found gpuDevices,
    Instant probedAt) {

  public Capabilities {
    encoders = Set.copyOf(encoders);
    decoders = Set.copyOf(decoders);
    filters = Set.copyOf(filters);
    hwaccels = Set.copyOf(hwaccels);
    gpuEncoders = List.copyOf(gpuEncoders);
    Objects.requireNonNull(gpuDevices, "gpuDevices"); // a cache written before GPUs were listed is probed again
  }

  /** True when at least one GPU encoder proved itself with a test encode. */
  public boolean gpuEncode() {
    return gpuEncoders.stream().anyMatch(GpuEncoderCheck::works);
  }

  /** Whether {@code encoder} can be used: listed, and for GPU encoders also proven. */
  public boolean canEncode(String encoder) {
    if (VideoCodecs.isGpu(encoder)) {
      return gpuEncoders.stream().anyMatch(c -> c.encoder().equals(encoder) && c.works());
    }
    return encoders.contains(encoder);
  }

  public boolean hasFilter(String name) {
    return filters.contains(name);
  }
}
