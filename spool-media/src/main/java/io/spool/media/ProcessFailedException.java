package io.spool.media;

import java.util.List;

/** ffmpeg (or ffprobe) exited with a failure that was not classified as bad input. Retryable. */
public class ProcessFailedException extends SpoolException {
  private static final long serialVersionUID = 1L;

  private final int exitStatus;

  public ProcessFailedException(String message, int exitStatus, List<String> stderrTail) {
    super(ErrorCode.FFMPEG_FAILED, message, stderrTail, null);
    this.exitStatus = exitStatus;
  }

  public int exitStatus() {
    return exitStatus;
  }
}
