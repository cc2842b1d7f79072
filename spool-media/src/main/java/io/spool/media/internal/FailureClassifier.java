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
    java.util.Optional<SpoolException> network = networkFailure(stderrTail, "its input", tool);
    if (network.isPresent()) {
      return network.get();
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

  /** What ffmpeg and ffprobe say when the network, not the file, stopped them reading an input over HTTP. */
  private static final List<String> NETWORK = List.of(
      "failed to reconnect",
      "server returned 5",
      "http error 5",
      "connection refused",
      "connection reset",
      "connection timed out",
      "network is unreachable",
      "failed to resolve hostname");

  /**
   * What a failed read of an input over HTTP(S) means where the network, or the server, rather
   * than the file, stopped it: a 404 is {@link InputNotFoundException} (the object went away); a
   * 401 or 403 is an {@link EnvironmentException} (the credentials or the clock), unless the
   * connection had been lost first (a URL that expired during a reconnect), which is retryable;
   * a 5xx, a refused, reset or timed-out connection or a reconnect that failed is a retryable
   * {@link ErrorCode#IO_ERROR}. Empty where it says none of these: a reconnect that succeeded
   * leaves the verdict on the file standing. {@code input} names the input (never its URL).
   */
  public static java.util.Optional<SpoolException> networkFailure(List<String> stderrTail, Object input, String tool) {
    String lower = String.join("\n", stderrTail).toLowerCase(Locale.ROOT);
    String reason = reason(stderrTail);
    boolean reconnected = lower.contains("will reconnect at");
    if (lower.contains("server returned 404") || lower.contains("http error 404")) {
      return java.util.Optional.of(new InputNotFoundException(input + " is not there (the server answered 404): " + reason));
    }
    if (lower.contains("server returned 401") || lower.contains("server returned 403") || lower.contains("http error 403")
        || lower.contains("http error 401")) {
      return java.util.Optional.of(reconnected
          ? new SpoolException(ErrorCode.IO_ERROR, "the connection to " + input + " was lost and not regained: " + reason,
              stderrTail, null)
          : new EnvironmentException(tool + " was refused " + input + " (access denied): " + reason, stderrTail, null));
    }
    for (String p : NETWORK) {
      if (lower.contains(p)) {
        return java.util.Optional.of(new SpoolException(ErrorCode.IO_ERROR,
            tool + " lost the connection to " + input + " and could not get it back: " + reason, stderrTail, null));
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * {@code verdict}, that the input is damaged, or what the network did instead where it stopped
   * the reading ({@link #networkFailure}).
   */
  public static SpoolException unlessConnectionLost(InvalidInputException verdict, List<String> stderrTail, Object input) {
    return networkFailure(stderrTail, input, "ffmpeg").orElse(verdict);
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
