package io.spool.media;

/**
 * Stable, machine-readable failure codes. The names are part of Spool's public contract: they
 * appear in JSON results, job records and manifests, and callers may switch on them.
 */
public enum ErrorCode {
  /** The input is corrupt, truncated, empty, not media, or has nothing decodable. Not retryable. */
  INVALID_INPUT(false),
  /** The input path does not exist or cannot be read. Not retryable. */
  INPUT_NOT_FOUND(false),
  /** An option or argument is wrong (unknown preset, crf out of range, output equals input). */
  BAD_ARGUMENT(false),
  /**
   * The output path already holds a file that the job was not told to replace ({@code --overwrite}).
   * Not retryable.
   */
  OUTPUT_EXISTS(false),
  /** ffmpeg, ffprobe or a needed encoder is missing from this host. Not retryable here. */
  ENVIRONMENT(false),
  /** The job ran past its time limit and was ended. Retryable. */
  TIMEOUT(true),
  /** The process was killed for memory by the system, or could not allocate. Retryable. */
  OUT_OF_MEMORY(true),
  /** The job grew past its own memory allowance; the same allowance fails again. Not retryable. */
  MEMORY_LIMIT(false),
  /** The job was cancelled. */
  CANCELLED(false),
  /** ffmpeg failed for a reason not classified above. Retryable. */
  FFMPEG_FAILED(true),
  /**
   * The output cannot be written where it was asked for: its folder is on a read-only file
   * system, a file stands where a folder of its path should be, writing there is not permitted,
   * or the device is full. The same place fails the same way again. Not retryable.
   */
  OUTPUT_NOT_WRITABLE(false),
  /**
   * The worker running the job was stopped (SIGTERM) and its grace period ran out before the job
   * finished; another worker runs it again. Retryable.
   */
  WORKER_STOPPED(true),
  /** The worker running the job went silent (killed, or cut off) and Temporal gave the job to another. */
  WORKER_LOST(true),
  /**
   * A batch's workflow ended before its jobs did: it failed for good (its records could not be
   * written, say) or someone terminated it. The batch and its unfinished jobs are recorded as
   * failed with this code. Not retryable.
   */
  BATCH_FAILED(false),
  /** Reading or writing files failed for a reason not classified above. Retryable. */
  IO_ERROR(true),
  /** A job's own code failed in a way not classified above. Retryable. */
  JOB_FAILED(true),
  /**
   * A job or batch record under the Spool home cannot be read: not JSON, cut short, or missing
   * what every record has. Lists skip it with a warning. Not retryable.
   */
  RECORD_DAMAGED(false),
  /** Spool itself failed unexpectedly (a bug); the message names the exception. Not retryable. */
  INTERNAL(false);

  private final boolean retryable;

  ErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether running the same job again can succeed. */
  public boolean retryable() {
    return retryable;
  }
}
