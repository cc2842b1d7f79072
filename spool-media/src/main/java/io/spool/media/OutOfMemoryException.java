package io.spool.media;

import java.util.List;

/** The job needed more memory than it was allowed; its processes were ended. */
public class OutOfMemoryException extends SpoolException {
  private static final long serialVersionUID = 1L;

  public OutOfMemoryException(String message) {
    super(ErrorCode.OUT_OF_MEMORY, message);
  }

  public OutOfMemoryException(String message, List<String> evidence, Throwable cause) {
    super(ErrorCode.OUT_OF_MEMORY, message, evidence, cause);
  }

  /** The job's own memory allowance was exceeded ({@link ErrorCode#MEMORY_LIMIT}). */
  public static OutOfMemoryException overAllowance(String message, List<String> evidence) {
    return new OutOfMemoryException(ErrorCode.MEMORY_LIMIT, message, evidence);
  }

  private OutOfMemoryException(ErrorCode code, String message, List<String> evidence) {
    super(code, message, evidence, null);
  }
}
