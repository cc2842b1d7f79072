package io.spool.media;

import java.util.List;

/** The job ran past its time limit; its processes were ended. */
public class TimeoutExceededException extends SpoolException {
  private static final long serialVersionUID = 1L;

  public TimeoutExceededException(String message) {
    super(ErrorCode.TIMEOUT, message);
  }

  public TimeoutExceededException(String message, List<String> evidence, Throwable cause) {
    super(ErrorCode.TIMEOUT, message, evidence, cause);
  }
}
