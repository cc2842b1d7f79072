package io.spool.engine;

import io.spool.media.BadArgumentException;
import java.time.Duration;
import java.util.Locale;

/**
 * What a job needs, like the guide's {@code @app.function(cpu=, memory=, gpu=, timeout=, retries=)}.
 *
 * @param cpu cores: sets ffmpeg's threads and how many jobs share a worker
 * @param memoryMiB memory allowance; a job whose ffmpeg grows past it is ended ("needs more memory");
 *     by default {@link #defaultMemoryMiB} of its cores
 * @param gpu {@code none}, {@code any} or a kind such as {@code t4}
 * @param timeout run time allowed per attempt
 * @param retries retry policy for retryable failures
 * @param queue task queue: {@code cpu} or {@code gpu}
 * @param gpuRequired whether the job runs only where NVENC was proven: it waits on the {@code gpu}
 *     queue for such a worker rather than run on the CPU (implies {@code gpu=any} at least)
 */
public record Resources(int cpu, int memoryMiB, String gpu, Duration timeout, RetryPolicy retries, String queue,
    boolean gpuRequired) {
  public static final String CPU_QUEUE = "cpu";
  public static final String GPU_QUEUE = "gpu";
  public static final Resources DEFAULT = newBuilder().build();

  public Resources {
    if (cpu < 1 || cpu > 256) {
      throw new BadArgumentException("cpu must be between 1 and 256 cores, got " + cpu);
    }
    if (memoryMiB < 64) {
      throw new BadArgumentException("memory must be at least 64 MiB, got " + memoryMiB);
    }
    gpu = gpu == null ? "none" : gpu.strip().toLowerCase(Locale.ROOT);
    if (gpuRequired && gpu.equals("none")) {
      gpu = "any";
    }
    if (!gpu.matches("[a-z0-9]+")) {
      throw new BadArgumentException("gpu must be none, any or a kind like t4, got '" + gpu + "'");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new BadArgumentException("timeout must be positive, got " + timeout);
    }
    if (retries == null) {
      retries = RetryPolicy.DEFAULT;
    }
    if (queue == null) {
      queue = gpu.equals("none") ? CPU_QUEUE : GPU_QUEUE;
    }
    if (!queue.equals(CPU_QUEUE) && !queue.equals(GPU_QUEUE)) {
      throw new BadArgumentException("queue must be cpu or gpu, got '" + queue + "'");
    }
    if (gpuRequired && !queue.equals(GPU_QUEUE)) {
      throw new BadArgumentException("a job that requires a GPU runs on the gpu queue, not '" + queue + "'");
    }
  }

  /**
   * The memory a job gets unless it asks: 2 GiB, plus 256 MiB for each core beyond the first, since
   * encoders keep frames per thread (4K x264 at 16 threads peaks near 2.2 GB, x265 near 2.8 GB).
   */
  public static int defaultMemoryMiB(int cpu) {
    return 2048 + 256 * Math.max(0, cpu - 1);
  }

  public boolean wantsGpu() {
    return !gpu.equals("none");
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().cpu(cpu).memoryMiB(memoryMiB).gpu(gpu).timeout(timeout).retries(retries).queue(queue)
        .gpuRequired(gpuRequired);
  }

  public static final class Builder {
    private int cpu = 1;
    private Integer memoryMiB;
    private String gpu = "none";
    private Duration timeout = Duration.ofMinutes(10);
    private RetryPolicy retries = RetryPolicy.DEFAULT;
    private String queue;
    private boolean gpuRequired;

    private Builder() {}

    public Builder cpu(int cores) {
      this.cpu = cores;
      return this;
    }

    /** The memory allowance; null (the default) means {@link #defaultMemoryMiB} of the cores. */
    public Builder memoryMiB(Integer mib) {
      this.memoryMiB = mib;
      return this;
    }

    public Builder gpu(String gpu) {
      this.gpu = gpu;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder retries(RetryPolicy retries) {
      this.retries = retries;
      return this;
    }

    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    /**
     * Whether the job runs only on a worker whose NVENC was proven: on a shared service it waits
     * on the gpu queue for one; an embedded engine without one refuses it. Otherwise (the default)
     * a GPU job runs on the CPU where no such worker is, and says so in its result.
     */
    public Builder gpuRequired(boolean required) {
      this.gpuRequired = required;
      return this;
    }

    public Resources build() {
      return new Resources(cpu, memoryMiB != null ? memoryMiB : defaultMemoryMiB(cpu), gpu, timeout, retries, queue,
          gpuRequired);
    }
  }
}
