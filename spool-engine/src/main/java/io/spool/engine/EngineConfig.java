package io.spool.engine;

import io.spool.media.PriceTable;
import io.spool.media.Toolchain;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start an engine: the Spool home (records, volumes, scratch), the tools, this worker's
 * CPU capacity and GPU, prices, how it reads inputs kept in S3, and the job types it can run.
 * {@code EngineConfig.newBuilder(home).build()}.
 */
public record EngineConfig(
    Path home,
    Toolchain tools,
    int cpuCores,
    int memoryMiB,
    boolean gpuEncode,
    String gpuKind,
    PriceTable prices,
    long minScratchBytes,
    int batchChunkJobs,
    S3Input s3Input,
    Map<String, JobType> jobTypes) {

  public EngineConfig {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(tools, "tools");
    if (cpuCores < 1) {
      throw new IllegalArgumentException("cpuCores must be >= 1, got " + cpuCores);
    }
    if (memoryMiB < 0) {
      throw new IllegalArgumentException("memoryMiB must be >= 0 (0: not limited), got " + memoryMiB);
    }
    if (batchChunkJobs < 1) {
      throw new IllegalArgumentException("batchChunkJobs must be >= 1, got " + batchChunkJobs);
    }
    Objects.requireNonNull(s3Input, "s3Input");
    jobTypes = Map.copyOf(jobTypes);
  }

  /** This configuration with another worker capacity. */
  public EngineConfig withCapacity(int cores, int memory) {
    return new EngineConfig(home, tools, cores, memory, gpuEncode, gpuKind, prices, minScratchBytes, batchChunkJobs, s3Input, jobTypes);
  }

  /** This configuration with another worker capacity in cores. */
  public EngineConfig withCpuCores(int cores) {
    return new EngineConfig(home, tools, cores, memoryMiB, gpuEncode, gpuKind, prices, minScratchBytes, batchChunkJobs, s3Input, jobTypes);
  }

  public Path volumesDir() {
    return volumesDir(home);
  }

  /** Where the volumes of the Spool home {@code home} live, for tools that start no engine. */
  public static Path volumesDir(Path home) {
    return home.resolve("volumes");
  }

  public Path scratchDir() {
    return home.resolve("scratch");
  }

  public static Builder newBuilder(Path home) {
    return new Builder(home);
  }

  public static final class Builder {
    private final Path home;
    private Toolchain tools;
    private int cpuCores = Runtime.getRuntime().availableProcessors();
    private int memoryMiB;
    private boolean gpuEncode;
    private String gpuKind;
    private PriceTable prices = PriceTable.REFERENCE;
    private long minScratchBytes = 256L << 20;
    private int batchChunkJobs = 1000;
    private S3Input s3Input;
    private final Map<String, JobType> jobTypes = new LinkedHashMap<>();

    private Builder(Path home) {
      this.home = home.toAbsolutePath();
      jobType(new TranscodeJob());
      jobType(new ChunkPlanJob());
      jobType(new ChunkEncodeJob());
      jobType(new ChunkJoinJob());
      jobType(new QualityJob());
      jobType(new ThumbnailsJob());
      jobType(new AudioExtractJob());
      jobType(new AudioNormalizeJob());
      jobType(new FramesOverlayJob());
      jobType(new FramesExtractJob());
      jobType(FramesProcessJob.of(java.util.Map.of())); // register one with processors to run any
      jobType(new HlsJob());
    }

    public Builder tools(Toolchain tools) {
      this.tools = tools;
      return this;
    }

    /** Worker capacity in cores: on 2 cores, two 1-CPU jobs or one 2-CPU job at a time. */
    public Builder cpuCores(int cores) {
      this.cpuCores = cores;
      return this;
    }

    /**
     * Worker capacity in memory: jobs run side by side only while their memory allowances add up to
     * this at most (a job asking for more runs alone). 0, the default: cores alone decide.
     */
    public Builder memoryMiB(int mib) {
      this.memoryMiB = mib;
      return this;
    }

    /** Whether this host proved GPU encoding; GPU jobs fall back to libx264 otherwise. */
    public Builder gpuEncode(boolean proven) {
      this.gpuEncode = proven;
      return this;
    }

    /** The priced kind of this host's GPU ({@code l40s}, ...), if known: what {@code gpu=any} gets here. */
    public Builder gpuKind(String kind) {
      this.gpuKind = kind;
      return this;
    }

    public Builder prices(PriceTable prices) {
      this.prices = prices;
      return this;
    }

    public Builder minScratchBytes(long bytes) {
      this.minScratchBytes = bytes;
      return this;
    }

    /**
     * How many jobs one batch workflow runs; a larger batch runs as several such workflows in turn,
     * which keeps every workflow's history and input far below Temporal's limits.
     */
    public Builder batchChunkJobs(int jobs) {
      this.batchChunkJobs = jobs;
      return this;
    }

    /**
     * How this engine's workers read job inputs kept in S3 (see {@link S3Input}); by default what
     * the environment variable {@value S3Input#ENV} says, else {@link S3Input#URL}.
     */
    public Builder s3Input(S3Input mode) {
      this.s3Input = mode;
      return this;
    }

    /** Adds (or replaces) a job type this engine's workers can run. */
    public Builder jobType(JobType type) {
      jobTypes.put(type.name(), type);
      return this;
    }

    public EngineConfig build() {
      return new EngineConfig(home, tools == null ? Toolchain.locate() : tools, cpuCores, memoryMiB, gpuEncode, gpuKind, prices,
          minScratchBytes, batchChunkJobs, s3Input == null ? S3Input.fromEnvironment() : s3Input, jobTypes);
    }
  }
}
