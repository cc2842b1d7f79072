package io.spool.media;

/** The input path does not exist or cannot be read. Not retryable. */
public class InputNotFoundException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public InputNotFoundException(String message) {
    super(ErrorCode.INPUT_NOT_FOUND, message);
  }
}
