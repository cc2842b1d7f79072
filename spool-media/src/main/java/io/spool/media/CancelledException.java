package io.spool.media;

import java.util.List;

/** The job was cancelled; its processes were ended and nothing was published. */
public class CancelledException extends SpoolException {
  private static final long serialVersionUID = 1L;

  public CancelledException(String message) {
    super(ErrorCode.CANCELLED, message);
  }

  public CancelledException(String message, List<String> evidence, Throwable cause) {
    super(ErrorCode.CANCELLED, message, evidence, cause);
  }
}
