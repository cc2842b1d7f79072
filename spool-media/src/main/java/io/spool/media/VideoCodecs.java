package io.spool.media;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The video encoders a transcode may ask for by name, each with sensible settings and its
 * quality scale. NVENC encoders are listed here but only work where the capability probe proved
 * them (see {@link Capabilities}).
 */
public final class VideoCodecs {
  private record Spec(VideoEncoding encoding, int maxQuality, String qualityOption) {}

  private static final Map<String, Spec> SPECS = Map.of(
      "libx264", new Spec(Preset.WEB.video(), 51, null),
      "libx265", new Spec(Preset.HEVC.video(), 51, null),
      "libvpx-vp9", new Spec(Preset.VP9.video(), 63, null),
      "libsvtav1", new Spec(Preset.AV1.video(), 63, null),
      "h264_nvenc", new Spec(nvenc("h264_nvenc"), 51, "cq"),
      "hevc_nvenc", new Spec(nvenc("hevc_nvenc"), 51, "cq"),
      "av1_nvenc", new Spec(nvenc("av1_nvenc"), 51, "cq"));

  private static final Map<String, String> GPU_FOR_CPU = Map.of(
      "libx264", "h264_nvenc", "libx265", "hevc_nvenc", "libsvtav1", "av1_nvenc");

  private VideoCodecs() {}

  public static List<String> names() {
    return SPECS.keySet().stream().sorted().toList();
  }

  /**
   * Settings for {@code codec}: the preset's own when it already uses that codec, else the
   * codec's defaults; {@code crf} (if given) replaces the quality. An NVENC encoder takes its CPU
   * twin's settings (the preset's, where the preset uses the twin) through {@link #nvenc}, and
   * {@code crf} on the twin's scale.
   */
  public static VideoEncoding resolve(Preset preset, String codec, Integer crf) {
    String name = codec == null ? preset.video().codec() : codec;
    Spec spec = SPECS.get(name);
    if (spec == null) {
      throw new BadArgumentException("unsupported video codec '" + name + "'; choose one of " + names());
    }
    if (isGpu(name)) {
      String twin = cpuCounterpart(name);
      Spec cpu = SPECS.get(twin);
      if (crf != null && (crf < 0 || crf > cpu.maxQuality())) {
        throw new BadArgumentException("crf for " + name + " (on " + twin + "'s scale) must be between 0 and "
            + cpu.maxQuality() + ", got " + crf);
      }
      return nvenc(name, twin.equals(preset.video().codec()) ? preset.video() : cpu.encoding(), crf);
    }
    VideoEncoding base = name.equals(preset.video().codec()) ? preset.video() : spec.encoding();
    if (crf == null) {
      return base;
    }
    if (crf < 0 || crf > spec.maxQuality()) {
      throw new BadArgumentException(
          "crf for " + name + " must be between 0 and " + spec.maxQuality() + ", got " + crf);
    }
    return spec.qualityOption() == null
        ? base.toBuilder().crf(crf).build()
        : base.toBuilder().option(spec.qualityOption(), String.valueOf(crf)).build();
  }

  /** The NVENC encoder for what a CPU encoder makes (libx264 → h264_nvenc), if there is one. */
  public static Optional<String> gpuCounterpart(String cpuCodec) {
    return Optional.ofNullable(GPU_FOR_CPU.get(cpuCodec));
  }

  /** The CPU encoder for what an NVENC encoder makes (hevc_nvenc → libx265); itself for CPU encoders. */
  public static String cpuCounterpart(String codec) {
    return GPU_FOR_CPU.entrySet().stream().filter(e -> e.getValue().equals(codec)).map(Map.Entry::getKey)
        .findFirst().orElse(codec);
  }

  /** Whether the codec runs on an NVIDIA GPU. */
  public static boolean isGpu(String codec) {
    return codec != null && codec.endsWith("_nvenc");
  }

  private static VideoEncoding nvenc(String codec) {
    return VideoEncoding.newBuilder().codec(codec).preset("p4").pixelFormat("yuv420p")
        .option("rc", "vbr").option("cq", "23").option("b:v", "0").build();
  }

  /**
   * The NVENC encoding {@code codec} that stands in for the CPU encoding {@code cpu}: its speed
   * preset as one of NVENC's p1 (fastest) to p7 (slowest, best) ({@link #nvencPreset}), and
   * constant quality ({@code -rc vbr -cq N -b:v 0}: no bit-rate target caps it) with N the CPU
   * encoder's CRF, or {@code crf}, moved from its scale onto NVENC's 0 to 51 (the same number for
   * x264 and x265, whose scale that is; 0 becomes 1, since NVENC reads 0 as "choose for me"). The
   * same number is not the same quality on both encoders: NVENC spends more bits for it.
   */
  static VideoEncoding nvenc(String codec, VideoEncoding cpu, Integer crf) {
    int max = SPECS.get(cpu.codec()).maxQuality();
    int quality = crf != null ? crf : cpu.crf() != null ? cpu.crf() : 23;
    long cq = Math.max(1, Math.round(quality * 51.0 / max));
    return VideoEncoding.newBuilder().codec(codec).preset(nvencPreset(cpu.codec(), cpu.preset()))
        .pixelFormat(cpu.pixelFormat()).option("rc", "vbr").option("cq", Long.toString(cq)).option("b:v", "0").build();
  }

  /**
   * NVENC's preset for a CPU encoder's: x264's and x265's names from ultrafast (p1) through medium
   * (p4, NVENC's default) to veryslow (p7); SVT-AV1's numbers 0 (slowest, p7) to 13 (fastest, p1).
   */
  static String nvencPreset(String cpuCodec, String cpuPreset) {
    if (cpuPreset == null) {
      return "p4";
    }
    if (cpuCodec.equals("libsvtav1")) {
      try {
        return "p" + Math.max(1, Math.min(7, 7 - Integer.parseInt(cpuPreset) / 2));
      } catch (NumberFormatException e) {
        return "p4";
      }
    }
    return switch (cpuPreset) {
      case "ultrafast", "superfast" -> "p1";
      case "veryfast" -> "p2";
      case "faster", "fast" -> "p3";
      case "slow" -> "p5";
      case "slower" -> "p6";
      case "veryslow", "placebo" -> "p7";
      default -> "p4";
    };
  }
}
