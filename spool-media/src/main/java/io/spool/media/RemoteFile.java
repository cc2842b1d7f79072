package io.spool.media;

import io.spool.media.internal.CommandRunner;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A media file that ffmpeg and ffprobe read over HTTP(S) rather than from a local path, such as an
 * S3 object through a presigned GET URL ({@link Input#of(RemoteFile)}). Such a URL is a credential:
 * it is never shown. Messages, stderr tails and {@link #toString()} call the file {@code name}
 * (its volume reference, {@code VOLUME:path}), and {@link #scrub} takes the URL out of whatever
 * ffmpeg writes.
 *
 * @param url what ffmpeg opens; {@code http} or {@code https}
 * @param name what the file is called wherever it is shown
 */
public record RemoteFile(URI url, String name) {
  /**
   * What ffmpeg is told before opening the URL: a dropped connection is opened again where the
   * reading stopped (also for a connection that fails while being made), at once and then after
   * 1 and 3 s, no longer (the delays grow while they stay within this); a read that stalls counts
   * as dropped after {@link #STALL}. Longer outages end the attempt as a retryable
   * {@link ErrorCode#IO_ERROR}, and the job's retry policy, with a new URL, takes over.
   */
  private static final int RECONNECT_DELAY_MAX_SECONDS = 4;
  private static final Duration STALL = Duration.ofSeconds(30);
  private static final Pattern ANY_URL = Pattern.compile("(?i)https?://[^\\s'\"]+");

  public RemoteFile {
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("a remote file is read over http or https, not '" + scheme + "'");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a remote file needs a name to be shown by");
    }
  }

  /** The options ffmpeg and ffprobe take before {@code -i URL} (what bench/s3-input measures too). */
  public List<String> readOptions() {
    return List.of("-reconnect", "1", "-reconnect_streamed", "1", "-reconnect_on_network_error", "1",
        "-reconnect_delay_max", String.valueOf(RECONNECT_DELAY_MAX_SECONDS),
        "-rw_timeout", String.valueOf(STALL.toNanos() / 1000));
  }

  /**
   * {@code text}, a line ffmpeg wrote, with this file's URL, and any other http(s) URL (one ffmpeg
   * wrote differently, or one it was redirected to), replaced by {@link #name}. Where the line
   * starts with the URL, as ffmpeg's lines about an input it cannot open do, the URL is dropped,
   * as {@code file:} paths are from the reasons Spool gives: the message names the file already.
   */
  public String scrub(String text) {
    if (text == null) {
      return null;
    }
    String u = url.toString();
    String s = text;
    int tag = s.startsWith("[") ? s.indexOf("] ") : -1; // a log-level tag: [error]
    int at = tag < 0 ? 0 : tag + 2;
    if (s.startsWith(u + ": ", at)) {
      s = s.substring(0, at) + s.substring(at + u.length() + 2);
    }
    return ANY_URL.matcher(s.replace(u, name)).replaceAll(java.util.regex.Matcher.quoteReplacement(name));
  }

  /** Never the URL. */
  @Override
  public String toString() {
    return name;
  }

  /**
   * Whether the ffmpeg of {@code tools} can read https URLs (a build without TLS lists no
   * {@code https} input protocol). Runs ffmpeg once; callers keep the answer.
   */
  public static boolean readableBy(Toolchain tools) {
    CommandRunner.Result r = CommandRunner.run(List.of(tools.ffmpeg().toString(), "-hide_banner", "-protocols"),
        Duration.ofSeconds(30), UsageMeter.NONE);
    if (!r.ok()) {
      return false;
    }
    boolean inputs = false;
    for (String line : r.stdout().split("\\R")) {
      String s = line.strip();
      if (s.startsWith("Input:")) {
        inputs = true;
      } else if (s.startsWith("Output:")) {
        inputs = false;
      } else if (inputs && s.equals("https")) {
        return true;
      }
    }
    return false;
  }
}
