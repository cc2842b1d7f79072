package io.spool.media;

import java.util.Map;

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

  /** USD amounts by resource. */
  public record Cost(double cpu, double memory, double gpu, double total) {}
}
