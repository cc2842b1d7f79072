package io.spool.media;

import java.util.List;

/** The input cannot be used: corrupt, truncated, empty, not media, or without a decodable stream. */
public class InvalidInputException extends SpoolException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(ErrorCode.INVALID_INPUT, message);
  }

  public InvalidInputException(String message, List<String> evidence, Throwable cause) {
    super(ErrorCode.INVALID_INPUT, message, evidence, cause);
  }

  /** For subtypes that refine the code (see {@link InputNotFoundException}). */
  protected InvalidInputException(ErrorCode code, String message) {
    super(code, message);
  }
}
