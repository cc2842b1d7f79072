package io.spool.media;

import java.util.List;

/** This host lacks something the job needs: ffmpeg, ffprobe or an encoder. */
public class EnvironmentException extends SpoolException {
  private static final long serialVersionUID = 1L;

  public EnvironmentException(String message) {
    super(ErrorCode.ENVIRONMENT, message);
  }

  public EnvironmentException(String message, List<String> evidence, Throwable cause) {
    super(ErrorCode.ENVIRONMENT, message, evidence, cause);
  }
}
