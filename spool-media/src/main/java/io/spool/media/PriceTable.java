package io.spool.media;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prices used to turn measured usage into money. {@link #REFERENCE} holds the reference guide's
 * figures: CPU $0.000024 per vCPU-second, memory $0.0000025 per GiB-second, and hourly GPU prices.
 */
public record PriceTable(double cpuPerCoreSecond, double memoryPerGibSecond, Map<String, Double> gpuPerHour) {

  public static final PriceTable REFERENCE = new PriceTable(0.000024, 0.0000025,
      Map.of("t4", 0.59, "a10g", 1.10, "l40s", 1.95, "h100", 4.25));

  public PriceTable {
    if (cpuPerCoreSecond < 0 || memoryPerGibSecond < 0) {
      throw new IllegalArgumentException("prices must not be negative");
    }
    gpuPerHour = Map.copyOf(gpuPerHour);
  }

  /**
   * Cost of a run.
   *
   * @param coreSeconds CPU used (or reserved cores × wall seconds, for reserved pricing)
   * @param gibSeconds memory GiB × wall seconds
   */
  public Cost price(double coreSeconds, double gibSeconds) {
    double cpu = coreSeconds * cpuPerCoreSecond;
    double mem = gibSeconds * memoryPerGibSecond;
    return new Cost(cpu, mem, 0, cpu + mem);
  }

  /** Cost of one run from its metrics: CPU actually used, and peak memory held for the wall time. */
  public Cost price(Metrics m) {
    double gib = m.peakRssBytes() / (1024.0 * 1024 * 1024);
    return price(m.cpuSeconds(), gib * m.wallSeconds());
  }

  /**
   * The priced kind a GPU is, from the name its driver gives ({@code Tesla T4} → {@code t4},
   * {@code NVIDIA L40S} → {@code l40s}): the longest kind whose name appears in it, if any.
   */
  public Optional<String> kindOf(String gpuName) {
    String name = letters(gpuName);
    return gpuPerHour.keySet().stream().filter(k -> name.contains(letters(k)))
        .max(Comparator.comparingInt(String::length));
  }

  private static String letters(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  /**
   * Price of one second of a GPU kind ({@code t4}, {@code a10g}, ...); {@code any} uses the
   * cheapest listed; {@code none} is free.
   */
  public double gpuPerSecond(String kind) {
    if (kind == null || kind.equals("none")) {
      return 0;
    }
    Double hourly = kind.equals("any")
        ? gpuPerHour.values().stream().min(Double::compare).orElse(0.0)
        : gpuPerHour.get(kind);
    if (hourly == null) {
      throw new BadArgumentException("no price for GPU kind '" + kind + "'; known: " + gpuPerHour.keySet());
    }
    return hourly / 3600.0;
  }

  /**
   * Reads a price table from JSON such as
   * {@code {"cpuPerCoreSecond":0.00003,"memoryPerGibSecond":0.000003,"gpuPerHour":{"t4":0.6}}};
   * missing fields keep the reference values.
   */
  public static PriceTable load(java.nio.file.Path file) {
    try {
      com.fasterxml.jackson.databind.JsonNode n = io.spool.media.internal.Json.MAPPER.readTree(file.toFile());
      java.util.Map<String, Double> gpus = new java.util.HashMap<>(REFERENCE.gpuPerHour());
      n.path("gpuPerHour").properties().forEach(e -> gpus.put(e.getKey(), e.getValue().asDouble()));
      return new PriceTable(n.path("cpuPerCoreSecond").asDouble(REFERENCE.cpuPerCoreSecond()),
          n.path("memoryPerGibSecond").asDouble(REFERENCE.memoryPerGibSecond()), gpus);
    } catch (java.io.IOException e) {
      throw new BadArgumentException("cannot read price table " + file + ": " + e.getMessage());
    }
  }

  /** USD amounts by resource. */
  public record Cost(double cpu, double memory, double gpu, double total) {}
}
