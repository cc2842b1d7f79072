package io.spool.media;

/** The output path already holds a file, and the job was not told to replace it. Not retryable. */
public class OutputExistsException extends SpoolException {
  private static final long serialVersionUID = 1L;

  public OutputExistsException(String output) {
    super(ErrorCode.OUTPUT_EXISTS, "output already exists: " + output + " (give --overwrite to replace it)");
  }
}
