package io.spool.http.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.spool.http.HttpStatuses.Refusal;
import io.spool.media.BadArgumentException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resumable uploads over the tus 1.0.0 protocol (core, creation, termination and expiration):
 * {@code OPTIONS /v1/uploads} (what is served), {@code POST /v1/uploads} (make one: Upload-Length,
 * Upload-Metadata; 201 and a Location), {@code HEAD /v1/uploads/{id}} (its Upload-Offset),
 * {@code PATCH /v1/uploads/{id}} (append at Upload-Offset), {@code DELETE /v1/uploads/{id}}.
 * A finished upload is a job's input as {@code upload:ID}.
 */
final class TusRoutes {
  static final String PATH = "/v1/uploads";
  static final String VERSION = "1.0.0";
  static final String EXTENSIONS = "creation,termination,expiration";
  static final String OFFSET_TYPE = "application/offset+octet-stream";
  /** How long a request waits for another one writing the same upload (a client resuming after a cut). */
  private static final Duration WAIT_FOR_WRITER = Duration.ofSeconds(10);
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final ResumableUploads uploads;
  private final long maxSize;

  TusRoutes(ResumableUploads uploads, long maxSize) {
    this.uploads = uploads;
    this.maxSize = maxSize;
  }

  void addTo(RoutesConfig routes) {
    routes.options(PATH, this::options);
    routes.post(PATH, this::create);
    routes.head(PATH + "/{id}", this::head);
    routes.patch(PATH + "/{id}", this::patch);
    routes.delete(PATH + "/{id}", this::delete);
  }

  /** Every answer under the uploads path says which protocol version it speaks, errors too. */
  static void stamp(Context ctx) {
    if (ctx.path().equals(PATH) || ctx.path().startsWith(PATH + "/")) {
      ctx.header("Tus-Resumable", VERSION);
    }
  }

  private void options(Context ctx) {
    ctx.header("Tus-Version", VERSION).header("Tus-Extension", EXTENSIONS).header("Tus-Max-Size", Long.toString(maxSize))
        .status(204);
  }

  private void create(Context ctx) {
    checkVersion(ctx);
    if (ctx.header("Upload-Defer-Length") != null) {
      throw new BadArgumentException("Upload-Defer-Length is not supported: send Upload-Length");
    }
    long length = number(ctx, "Upload-Length", true);
    if (length > maxSize) {
      throw new Refused(Refusal.TOO_LARGE, "Upload-Length " + length + " is larger than this server takes ("
          + maxSize + " bytes)");
    }
    Map<String, String> metadata = metadata(ctx.header("Upload-Metadata"));
    ResumableUploads.State s = uploads.create(length, metadata);
    ctx.header("Location", PATH + "/" + s.info().id());
    expires(ctx, s);
    ctx.status(201);
  }

  private void head(Context ctx) throws InterruptedException {
    checkVersion(ctx);
    ResumableUploads.State s = uploads.settled(ctx.pathParam("id"), WAIT_FOR_WRITER);
    ctx.header("Upload-Offset", Long.toString(s.offset())).header("Upload-Length", Long.toString(s.info().length()))
        .header("Cache-Control", "no-store");
    if (!s.info().metadata().isEmpty()) {
      ctx.header("Upload-Metadata", encode(s.info().metadata()));
    }
    expires(ctx, s);
    ctx.status(200);
  }

  private void patch(Context ctx) throws Exception {
    checkVersion(ctx);
    String type = ctx.header("Content-Type");
    if (type == null || !type.strip().equalsIgnoreCase(OFFSET_TYPE)) {
      throw new Refused(Refusal.UNSUPPORTED_MEDIA_TYPE, "a PATCH body must be Content-Type: " + OFFSET_TYPE
          + (type == null ? "" : ", not " + type));
    }
    long offset = number(ctx, "Upload-Offset", true);
    long declared = ctx.req().getContentLengthLong();
    long now = uploads.append(ctx.pathParam("id"), offset, ctx.req().getInputStream(), declared, WAIT_FOR_WRITER);
    ctx.header("Upload-Offset", Long.toString(now));
    expires(ctx, uploads.find(ctx.pathParam("id")));
    ctx.status(204);
  }

  private void delete(Context ctx) throws InterruptedException {
    checkVersion(ctx);
    uploads.delete(ctx.pathParam("id"));
    ctx.status(204);
  }

  private static void expires(Context ctx, ResumableUploads.State s) {
    Instant at = s.expiresAt();
    if (at != null) {
      ctx.header("Upload-Expires", HTTP_DATE.format(at));
    }
  }

  private static void checkVersion(Context ctx) {
    String v = ctx.header("Tus-Resumable");
    if (!VERSION.equals(v == null ? null : v.strip())) {
      throw new Refused(Refusal.TUS_VERSION_UNSUPPORTED, v == null ? "a tus request needs Tus-Resumable: " + VERSION
          : "tus version " + v + " is not served; this server speaks " + VERSION, Map.of("Tus-Version", VERSION));
    }
  }

  private static long number(Context ctx, String header, boolean required) {
    String v = ctx.header(header);
    if (v == null) {
      if (required) {
        throw new BadArgumentException(header + " is needed");
      }
      return -1;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadArgumentException(header + " must be a non-negative integer, got '" + v + "'");
    }
  }

  /** {@code key base64value,key2,key3 base64value}: keys, each with a value or none. */
  static Map<String, String> metadata(String header) {
    Map<String, String> m = new LinkedHashMap<>();
    if (header == null || header.isBlank()) {
      return m;
    }
    for (String pair : header.split(",")) {
      String[] kv = pair.strip().split(" ", -1);
      if (kv.length > 2 || kv[0].isEmpty()) {
        throw new BadArgumentException("Upload-Metadata: malformed pair '" + pair.strip() + "'");
      }
      String value = "";
      if (kv.length == 2) {
        try {
          value = new String(Base64.getDecoder().decode(kv[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new BadArgumentException("Upload-Metadata: the value of '" + kv[0] + "' is not Base64");
        }
      }
      if (m.put(kv[0], value) != null) {
        throw new BadArgumentException("Upload-Metadata: key '" + kv[0] + "' is given twice");
      }
    }
    return m;
  }

  private static String encode(Map<String, String> metadata) {
    StringBuilder b = new StringBuilder();
    metadata.forEach((k, v) -> {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(k);
      if (!v.isEmpty()) {
        b.append(' ').append(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
      }
    });
    return b.toString();
  }
}
