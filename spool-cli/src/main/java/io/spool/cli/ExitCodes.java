package io.spool.cli;

import io.spool.media.ErrorCode;

/** The documented exit codes of every spool command. */
public final class ExitCodes {
  public static final int OK = 0;
  /** The command ran but the job (or some items of a batch) failed, or Spool failed unexpectedly. */
  public static final int FAILED = 1;
  /** Wrong usage: unknown option, bad value. */
  public static final int USAGE = 2;
  /** The input is invalid: missing, empty, corrupt, truncated, not media. */
  public static final int INVALID_INPUT = 3;
  /** This host lacks something: ffmpeg, ffprobe, an encoder, a usable speech model. */
  public static final int ENVIRONMENT = 4;
  /** The output cannot be written there: read-only file system, a file in its path, no permission, disk full. */
  public static final int OUTPUT_NOT_WRITABLE = 5;
  /** {@code batch wait --timeout} gave up waiting: the batch still runs. */
  public static final int STILL_RUNNING = 6;
  /** Interrupted (Ctrl-C) and cancelled cleanly. */
  public static final int CANCELLED = 130;

  private ExitCodes() {}

  /** The one mapping from failure codes to exit codes. */
  public static int of(ErrorCode code) {
    return switch (code) {
      case BAD_ARGUMENT, OUTPUT_EXISTS -> USAGE;
      case INVALID_INPUT, INPUT_NOT_FOUND -> INVALID_INPUT;
      case ENVIRONMENT -> ENVIRONMENT;
      case OUTPUT_NOT_WRITABLE -> OUTPUT_NOT_WRITABLE;
      case CANCELLED -> CANCELLED;
      case TIMEOUT, OUT_OF_MEMORY, MEMORY_LIMIT, FFMPEG_FAILED, IO_ERROR, JOB_FAILED, RECORD_DAMAGED, INTERNAL,
          WORKER_STOPPED, WORKER_LOST, BATCH_FAILED -> FAILED;
    };
  }
}
