package io.spool.media;

import java.util.List;

/** An option or argument is not acceptable. */
public class BadArgumentException extends SpoolException {
  private static final long serialVersionUID = 1L;

  public BadArgumentException(String message) {
    super(ErrorCode.BAD_ARGUMENT, message);
  }

  public BadArgumentException(String message, List<String> evidence, Throwable cause) {
    super(ErrorCode.BAD_ARGUMENT, message, evidence, cause);
  }
}
