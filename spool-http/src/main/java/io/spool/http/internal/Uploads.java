package io.spool.http.internal;

import io.javalin.http.Context;
import io.spool.http.HttpStatuses.Refusal;
import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Takes an upload into a file, never into memory: a raw body, or the {@code file} part of a
 * {@code multipart/form-data} body, which Jetty writes to disk as it arrives. An upload larger than
 * the limit is refused with 413 as soon as that is known: at once where Content-Length says so,
 * else when the bytes read pass it; the rest is not read (the connection is closed instead).
 */
final class Uploads {
  /** Room for a multipart body's boundaries and part headers beside the file itself. */
  private static final long MULTIPART_OVERHEAD = 64 * 1024;
  private static final String JETTY_MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
  private static final int BUFFER = 64 * 1024;

  private final long limit;

  Uploads(long limit) {
    this.limit = limit;
  }

  /** A received upload: where it lies and the file name the client gave (null where it gave none). */
  record Upload(Path file, String name, long sizeBytes) {}

  /** Receives the request's upload into {@code dir}, as {@code upload} there (or the part's file). */
  Upload receive(Context ctx, Path dir) {
    long declared = ctx.req().getContentLengthLong();
    boolean multipart = ctx.isMultipartFormData();
    if (declared > limit + (multipart ? MULTIPART_OVERHEAD : 0)) {
      throw tooLarge(ctx, declared);
    }
    return multipart ? multipart(ctx, dir) : raw(ctx, dir);
  }

  private Upload raw(Context ctx, Path dir) {
    Path file = dir.resolve("upload");
    long n = receiveInto(ctx, file);
    return new Upload(file, filename(ctx.header("Content-Disposition")), n);
  }

  /** Writes the request's raw body to {@code file}, within the limit; returns its size. */
  long receiveInto(Context ctx, Path file) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(ctx, declared);
    }
    long n = 0;
    try (InputStream in = ctx.req().getInputStream(); OutputStream out = Files.newOutputStream(file)) {
      byte[] buf = new byte[BUFFER];
      int r;
      while ((r = in.read(buf)) >= 0) {
        n += r;
        if (n > limit) {
          throw tooLarge(ctx, n);
        }
        out.write(buf, 0, r);
      }
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "the upload was cut off after " + n + " bytes: " + e.getMessage(),
          List.of(), e);
    }
    if (n == 0) {
      throw new BadArgumentException("the request has no body: send the file as the body"
          + (ctx.path().startsWith("/v1/transcode") ? ", or as the 'file' part of a multipart/form-data form" : ""));
    }
    return n;
  }

  private Upload multipart(Context ctx, Path dir) {
    ctx.req().setAttribute(JETTY_MULTIPART_CONFIG, new MultipartConfigElement(dir.toString(), limit,
        limit + MULTIPART_OVERHEAD, 0));
    Part part;
    try {
      part = ctx.req().getPart("file");
    } catch (IOException | ServletException | IllegalStateException e) {
      if (tooLargeFailure(e)) {
        throw tooLarge(ctx, -1);
      }
      throw new BadArgumentException("malformed multipart/form-data body: " + rootMessage(e));
    }
    if (part == null) {
      throw new BadArgumentException("the multipart/form-data form has no 'file' part");
    }
    Path file = dir.resolve("upload");
    try {
      // A rename, the part being on disk already; the part then stands for the moved file, so it is not deleted.
      part.write(file.toString());
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot keep the upload: " + e.getMessage(), List.of(), e);
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot read the upload back: " + e.getMessage(), List.of(), e);
    }
    if (size == 0) {
      throw new BadArgumentException("the 'file' part is empty");
    }
    return new Upload(file, safeName(part.getSubmittedFileName()), size);
  }

  private Refused tooLarge(Context ctx, long seen) {
    ctx.header("Connection", "close"); // the rest is not read: the connection cannot carry another request
    return new Refused(Refusal.TOO_LARGE, "the upload is larger than this server takes (" + limit + " bytes"
        + (seen > 0 ? "; " + seen + " bytes " + (ctx.req().getContentLengthLong() == seen ? "declared" : "sent so far") : "")
        + ")");
  }

  private static boolean tooLargeFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("max") && (m.contains("size") || m.contains("length") || m.contains("exceeded"))) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** The file name of {@code Content-Disposition: attachment; filename="a.mov"}, if any. */
  private static String filename(String disposition) {
    if (disposition == null) {
      return null;
    }
    var m = java.util.regex.Pattern.compile("filename=\"?([^\";]+)\"?").matcher(disposition);
    return m.find() ? safeName(m.group(1)) : null;
  }

  /** A client's file name as a plain name: its last path element, printable, or null. */
  static String safeName(String name) {
    if (name == null) {
      return null;
    }
    String n = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip();
    n = n.replaceAll("[\\p{Cntrl}\"]", "_");
    return n.isEmpty() || n.equals(".") || n.equals("..") ? null : n;
  }
}
