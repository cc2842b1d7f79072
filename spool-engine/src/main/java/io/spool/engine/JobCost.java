package io.spool.engine;

import io.spool.media.Metrics;
import io.spool.media.PriceTable;

/**
 * Measured usage of a job and its price. CPU is charged for the larger of the CPU time used and
 * the reserved cores × wall time; memory for the larger of peak and reserved memory × wall time;
 * GPUs per second of wall time.
 */
public record JobCost(
    double cpuSecondsUsed,
    double reservedCpuSeconds,
    double peakMemoryGibSeconds,
    double reservedMemoryGibSeconds,
    double gpuSeconds,
    double cpuUsd,
    double memoryUsd,
    double gpuUsd,
    double totalUsd) {

  public static final JobCost ZERO = new JobCost(0, 0, 0, 0, 0, 0, 0, 0, 0);

  public static JobCost of(Resources r, Metrics m, PriceTable prices) {
    double wall = m.wallSeconds();
    double reservedCpu = r.cpu() * wall;
    double peakGib = m.peakRssBytes() / (double) (1L << 30) * wall;
    double reservedGib = r.memoryMiB() / 1024.0 * wall;
    double gpuSeconds = r.wantsGpu() ? wall : 0;
    double cpuUsd = Math.max(m.cpuSeconds(), reservedCpu) * prices.cpuPerCoreSecond();
    double memUsd = Math.max(peakGib, reservedGib) * prices.memoryPerGibSecond();
    double gpuUsd = gpuSeconds * prices.gpuPerSecond(r.gpu());
    return new JobCost(m.cpuSeconds(), reservedCpu, peakGib, reservedGib, gpuSeconds, cpuUsd, memUsd, gpuUsd,
        cpuUsd + memUsd + gpuUsd);
  }

  public JobCost plus(JobCost o) {
    return new JobCost(cpuSecondsUsed + o.cpuSecondsUsed, reservedCpuSeconds + o.reservedCpuSeconds,
        peakMemoryGibSeconds + o.peakMemoryGibSeconds, reservedMemoryGibSeconds + o.reservedMemoryGibSeconds,
        gpuSeconds + o.gpuSeconds, cpuUsd + o.cpuUsd, memoryUsd + o.memoryUsd, gpuUsd + o.gpuUsd,
        totalUsd + o.totalUsd);
  }
}
