package io.spool.media;

import java.util.List;
import java.util.Objects;

/**
 * Root of every failure Spool reports. The message is one line meant for people; {@link #code()}
 * is the stable code meant for programs; {@link #evidence()} holds supporting detail (stderr tail,
 * exit status) shown with {@code --verbose}.
 */
public class SpoolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final List<String> evidence;

  public SpoolException(ErrorCode code, String message) {
    this(code, message, List.of(), null);
  }

  public SpoolException(ErrorCode code, String message, List<String> evidence, Throwable cause) {
    super(oneLine(message), cause);
    this.code = Objects.requireNonNull(code, "code");
    this.evidence = List.copyOf(evidence);
  }

  public ErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return code.retryable();
  }

  /** Supporting detail, such as the last lines ffmpeg wrote to stderr. */
  public List<String> evidence() {
    return evidence;
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    return message.replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
  }
}
