package io.spool.cli;

import io.spool.engine.Resources;
import io.spool.engine.RetryPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What a job asks for, shared by {@code transcode} and {@code batch transcode}. */
public final class JobFlags {
  @Option(names = {"--cpu", "--threads"}, paramLabel = "N",
      description = "Cores per job: ffmpeg's decoder, filter and encoder threads (default: all cores for one file;"
          + " in a batch, the cores shared out among the jobs that run at once, at least 1, and more for a job"
          + " that would run on alone at the end).")
  Integer cpu;

  @Option(names = "--memory", paramLabel = "MiB",
      description = "Memory per job in MiB; a job whose ffmpeg grows past it is ended (default: 2048, plus 256 per core beyond the first).")
  Integer memory;

  @Option(names = "--gpu", defaultValue = "none", paramLabel = "KIND",
      description = "none, any or a kind such as t4 (falls back to CPU where no GPU encoder is proven).")
  String gpu;

  @Option(names = "--require-gpu", description = {"Run only where NVENC was proven (implies --gpu any): on a shared service",
      "the job waits on the gpu queue for such a worker; embedded, a host without one refuses it (exit 4)."})
  boolean requireGpu;

  @Option(names = "--timeout", paramLabel = "D", converter = Units.DurationConverter.class,
      description = "Time limit per attempt, e.g. 90s, 10m, 2h (default: 24h for one file, 10m per batch item).")
  Duration timeout;

  @Option(names = "--retries", defaultValue = "3", paramLabel = "N",
      description = "Retries of retryable failures, 1 s then doubling (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(names = "--overwrite",
      description = "Replace a file already at an output path (default: the job fails with OUTPUT_EXISTS and leaves it alone).")
  boolean overwrite;

  /** The resources asked for, with the command's own defaults for cores and time limit. */
  Resources resources(int defaultCpu, Duration defaultTimeout) {
    return Resources.newBuilder().cpu(cpu != null ? cpu : defaultCpu).memoryMiB(memory).gpu(gpu).gpuRequired(requireGpu)
        .timeout(timeout != null ? timeout : defaultTimeout)
        .retries(new RetryPolicy(retries, Duration.ofSeconds(1), 2.0)).build();
  }
}
