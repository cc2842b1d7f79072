package io.spool.media.internal;

import io.spool.media.EnvironmentException;
import io.spool.media.ErrorCode;
import io.spool.media.InputNotFoundException;
import io.spool.media.InvalidInputException;
import io.spool.media.OutOfMemoryException;
import io.spool.media.OutputNotWritableException;
import io.spool.media.ProcessFailedException;
import io.spool.media.SpoolException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Decides what an ffmpeg failure means from its exit status and what it logged, so that
 * deterministic failures (bad input, missing encoder) are never retried and transient ones are.
 * This is the only place that reads ffmpeg's messages to classify them.
 */
public final class FailureClassifier {
  private static final List<String> INVALID_INPUT = List.of(
      "invalid data found when processing input",
      "moov atom not found",
      "does not contain any stream",
      "could not find codec parameters",
      "invalid nal unit size",
      "partial file",
      "error while decoding",
      "decoding error",
      "invalid frame marker",
      "corrupt",
      "end of file",
      "no decoder for",
      "decoder (codec none) not found",
      "unsupported codec");
  private static final List<String> ENVIRONMENT = List.of(
      "unknown encoder",
      "encoder not found",
      "no such filter",
      "unrecognized option",
      "cannot load libcuda",
      "cannot load libnvidia-encode",
      "no nvenc capable devices found",
      "no capable devices found",
      "driver does not support the required nvenc api version");

  /** ffmpeg's closing words after a failure; the line that says why comes before them. */
  private static final List<String> GENERIC = List.of(
      "Error initializing output stream",
      "Error while opening encoder",
      "Error marking filters as finished",
      "Error while filtering",
      "Error while processing the decoded data",
      "Failed to inject frame",
      "Task finished with error code",
      "Nothing was written into output file");

  /** Lines that say what failed but not why; the error before them says why. */
  private static final List<String> NEEDS_CAUSE = List.of("Invalid data found", "Error opening", "No capable devices found");

  private FailureClassifier() {}

  public static SpoolException classify(String tool, int exitStatus, List<String> stderrTail) {
    return classify(tool, exitStatus, stderrTail, List.of());
  }

  /**
   * What a failed run of {@code tool} means; {@code outputs} are the files it was writing, named
   * in the message when they could not be written (as the files they are published as).
   */
  public static SpoolException classify(String tool, int exitStatus, List<String> stderrTail, List<Path> outputs) {
    String reason = reason(stderrTail);
    String lower = String.join("\n", stderrTail).toLowerCase(Locale.ROOT);
    String written = outputs.isEmpty() ? "the output of " + tool
        : outputs.stream().map(AtomicOutput::targetOf).map(Path::toString).collect(Collectors.joining(", "));
    if (lower.contains("no space left on device")) {
      return OutputNotWritableException.noSpace(written, stderrTail, null);
    }
    if (lower.contains("disk quota exceeded")) {
      return OutputNotWritableException.overQuota(written, stderrTail, null);
    }
    if (lower.contains("read-only file system") && !outputs.isEmpty()) {
      return OutputNotWritableException.readOnly(AtomicOutput.targetOf(outputs.get(0)).getParent(), stderrTail, null);
    }
    if (lower.contains("cannot allocate memory") || exitStatus == 137) {
      return new OutOfMemoryException(tool + " ran out of memory: " + reason, stderrTail, null);
    }
    if (lostConnection(stderrTail)) {
      return new SpoolException(ErrorCode.IO_ERROR, tool + " lost the connection to its input and could not get it back: "
          + reason, stderrTail, null);
    }
    if (lower.contains("no such file or directory") && lower.contains("file:")) {
      return new InputNotFoundException(tool + ": " + reason);
    }
    for (String p : ENVIRONMENT) {
      if (lower.contains(p)) {
        return new EnvironmentException("this host's ffmpeg cannot do it: " + reason, stderrTail, null);
      }
    }
    for (String p : INVALID_INPUT) {
      if (lower.contains(p)) {
        return new InvalidInputException("input is invalid: " + reason, stderrTail, null);
      }
    }
    return new ProcessFailedException(
        tool + " failed (exit status " + exitStatus + "): " + reason, exitStatus, stderrTail);
  }

  /**
   * Whether ffmpeg lost the connection to an input it reads over HTTP: its reconnects say so
   * (they are on for every such input). What it read was then cut short by the network, which a
   * retry with a new connection may get past, rather than by the file.
   */
  public static boolean lostConnection(List<String> stderrTail) {
    String lower = String.join("\n", stderrTail).toLowerCase(Locale.ROOT);
    return lower.contains("will reconnect at") || lower.contains("failed to reconnect at");
  }

  /**
   * {@code verdict}, that the input is damaged, as a retryable {@link ErrorCode#IO_ERROR} when the
   * connection to {@code input} was lost on the way ({@link #lostConnection}).
   */
  public static SpoolException unlessConnectionLost(InvalidInputException verdict, List<String> stderrTail, Object input) {
    if (!lostConnection(stderrTail)) {
      return verdict;
    }
    return new SpoolException(ErrorCode.IO_ERROR, "the connection to " + input + " was lost and not regained: "
        + verdict.getMessage(), stderrTail, null);
  }

  /**
   * Whether ffmpeg says it could not finish writing its output for lack of space, which it may do
   * and still exit 0: the WebM muxer only logs that its trailer could not be written.
   */
  public static boolean outputCutShort(List<String> stderrTail) {
    String lower = String.join("\n", stderrTail).toLowerCase(Locale.ROOT);
    return lower.contains("no space left on device") || lower.contains("disk quota exceeded");
  }

  /**
   * The most telling line: the last error that is not ffmpeg's generic closing words, with the
   * log-level tag and the {@code file:} path prefix removed.
   */
  public static String reason(List<String> stderrTail) {
    List<String> errors = new java.util.ArrayList<>();
    for (String line : stderrTail) {
      if (line.contains("[error]") || line.contains("[fatal]")) {
        String text = clean(line);
        if (!text.isEmpty() && !text.equals("Conversion failed!")) {
          errors.add(text);
        }
      }
    }
    if (errors.isEmpty()) {
      return stderrTail.isEmpty() ? "no message" : clean(stderrTail.get(stderrTail.size() - 1));
    }
    int i = errors.size() - 1;
    while (i >= 0 && GENERIC.stream().anyMatch(errors.get(i)::startsWith)) {
      i--;
    }
    if (i < 0) {
      return errors.get(errors.size() - 1);
    }
    String line = errors.get(i);
    if (i > 0 && NEEDS_CAUSE.stream().anyMatch(line::startsWith)) {
      return line + " (" + errors.get(i - 1) + ")";
    }
    return line;
  }

  static String clean(String line) {
    String s = line.replaceFirst("^\\[[^\\]]+ @ 0x[0-9a-f]+\\] ", "")
        .replaceFirst("^\\[(error|fatal|warning|info|panic)\\] ", "")
        .strip();
    if (s.startsWith("file:")) {
      int i = s.indexOf(": ");
      if (i > 0) {
        s = s.substring(i + 2);
      }
    }
    return s;
  }
}
