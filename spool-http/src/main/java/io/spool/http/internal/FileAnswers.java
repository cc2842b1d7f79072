package io.spool.http.internal;

import io.javalin.http.Context;
import io.spool.http.HttpStatuses.Refusal;
import io.spool.volumes.LocalVolume;
import io.spool.volumes.Volume;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a file as the answer, whole or the one byte range a {@code Range} header asks for (206
 * with Content-Range; 416 for a range outside the file). Javalin's own seekable writer is not used:
 * it serves ranges only for audio and video types, fails on suffix ranges ({@code bytes=-500}), and
 * never answers 416. Several ranges in one header are answered with the whole file, as RFC 9110 allows.
 */
final class FileAnswers {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private FileAnswers() {}

  static void send(Context ctx, Path file, String contentType, String downloadName) throws IOException {
    try (Volume.Read read = LocalVolume.readFile(file).orElseThrow(() -> new NoSuchFileException(file.toString()))) {
      send(ctx, read, contentType, downloadName);
    }
  }

  /** Sends a file opened for reading, a volume's (local or in S3) or this host's. */
  static void send(Context ctx, Volume.Read file, String contentType, String downloadName) throws IOException {
    long size = file.size();
    long start = 0;
    long end = size - 1;
    String range = ctx.header("Range");
    boolean partial = false;
    if (range != null) {
      Matcher m = RANGE.matcher(range.strip().toLowerCase(Locale.ROOT));
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        if (m.group(1).isEmpty()) {
          long suffix = Long.parseLong(m.group(2));
          start = Math.max(0, size - suffix);
        } else {
          start = Long.parseLong(m.group(1));
          end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
        }
        if (start >= size || start > end) {
          throw new Refused(Refusal.RANGE_NOT_SATISFIABLE, "the range " + range + " lies outside the file's " + size + " bytes",
              Map.of("Content-Range", "bytes */" + size));
        }
        partial = true;
      }
    }
    long length = end - start + 1;
    // Opened before the status is set, so that a failure to read is still answered as an error.
    try (InputStream in = file.bytes(start, length)) {
      ctx.disableCompression();
      ctx.header("Accept-Ranges", "bytes").contentType(contentType);
      if (downloadName != null) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + downloadName.replace("\"", "_") + "\"");
      }
      if (partial) {
        ctx.status(206).header("Content-Range", "bytes " + start + "-" + end + "/" + size);
      } else {
        ctx.status(200);
      }
      ctx.res().setContentLengthLong(length);
      try (OutputStream body = ctx.outputStream()) {
        long left = length;
        byte[] buf = new byte[64 * 1024];
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            break;
          }
          body.write(buf, 0, n);
          left -= n;
        }
      }
    }
  }

  /** A content type by file name, for the kinds of files Spool makes and takes. */
  static String contentTypeOf(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    String ext = n.substring(n.lastIndexOf('.') + 1);
    return switch (ext) {
      case "mp4", "m4v" -> "video/mp4";
      case "m4a" -> "audio/mp4";
      case "webm" -> "video/webm";
      case "mkv" -> "video/x-matroska";
      case "mov" -> "video/quicktime";
      case "mp3" -> "audio/mpeg";
      case "wav" -> "audio/wav";
      case "flac" -> "audio/flac";
      case "ogg", "opus" -> "audio/ogg";
      case "jpg", "jpeg" -> "image/jpeg";
      case "png" -> "image/png";
      case "json" -> "application/json";
      case "srt" -> "application/x-subrip";
      case "vtt" -> "text/vtt";
      case "txt" -> "text/plain; charset=utf-8";
      default -> "application/octet-stream";
    };
  }
}
