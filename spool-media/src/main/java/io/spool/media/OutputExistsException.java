package io.spool.media;

/** The output path already holds a file, and the job was not told to replace it. Not retryable. */
public class OutputExistsException extends SpoolException {
  private static final long serialVersionUID = 1L;

  public OutputExistsException(String output) {
    super(ErrorCode.OUTPUT_EXISTS, "output already exists: " + output + " (give --overwrite to replace it)");
  }

  private OutputExistsException(String output, String why) {
    super(ErrorCode.OUTPUT_EXISTS, "output " + output + " " + why + " (give --overwrite to replace it)");
  }

  /**
   * The file a job was to replace at {@code output} is not there any more as it was: another file
   * was published there, or it was changed or removed, while the job ran.
   */
  public static OutputExistsException changed(String output) {
    return new OutputExistsException(output, "is no longer the file this job was to replace: it was replaced,"
        + " changed or removed meanwhile");
  }
}
