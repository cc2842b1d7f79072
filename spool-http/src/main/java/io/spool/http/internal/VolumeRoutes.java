package io.spool.http.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import io.spool.volumes.Volume;
import io.spool.volumes.VolumeEntry;
import io.spool.volumes.VolumePath;
import io.spool.volumes.VolumeStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Volumes over HTTP, local ones and those kept in S3 alike: {@code PUT|GET|DELETE
 * /v1/volumes/{volume}/{path}} (a PUT to a volume that does not exist yet makes a local one; what
 * it writes appears whole, replacing what was there), and {@code GET /v1/volumes/{volume}/} to
 * list (with {@code ?prefix=}).
 */
final class VolumeRoutes {
  private final VolumeStore volumes;
  private final Uploads uploads;
  /** Where a PUT to a volume kept elsewhere (S3) is received before it is uploaded. */
  private final Path scratch;

  VolumeRoutes(VolumeStore volumes, Uploads uploads, Path scratch) {
    this.volumes = volumes;
    this.uploads = uploads;
    this.scratch = scratch;
  }

  record Entry(String path, long sizeBytes, java.time.Instant modified) {}

  void addTo(RoutesConfig routes) {
    routes.get("/v1/volumes", ctx -> ctx.json(Map.of("volumes", volumes.names())));
    routes.get("/v1/volumes/{volume}", this::list);
    routes.get("/v1/volumes/{volume}/<path>", this::get);
    routes.put("/v1/volumes/{volume}/<path>", this::put);
    routes.delete("/v1/volumes/{volume}/<path>", this::delete);
  }

  private void list(Context ctx) {
    Volume v = existing(ctx);
    String prefix = ctx.queryParam("prefix");
    String p = prefix == null ? "" : VolumeRefs.checkPath("prefix", prefix);
    List<Entry> entries = v.list(p).stream().map((VolumeEntry e) -> new Entry(e.path(), e.sizeBytes(), e.modified())).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("volume", v.name());
    body.put("files", entries);
    ctx.json(body);
  }

  private void get(Context ctx) throws IOException {
    Volume v = existing(ctx);
    String path = path(ctx);
    try (Volume.Read read = v.read(path).orElseThrow(() -> Refused.notFound("not found in volume " + v.name() + ": " + path))) {
      FileAnswers.send(ctx, read, FileAnswers.contentTypeOf(path), null);
    }
  }

  /** Receives the body into a write of the volume and publishes it only once the whole body is in. */
  private void put(Context ctx) {
    String name = ctx.pathParam("volume");
    VolumePath.checkName(name);
    String path = path(ctx);
    Volume v = volumes.exists(name) ? volumes.open(name) : volumes.create(name);
    long size;
    try (Volume.Write w = v.write(path, scratch)) {
      size = uploads.receiveInto(ctx, w.file());
      w.commit();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("volume", name);
    body.put("path", path);
    body.put("size_bytes", size);
    ctx.status(201).header("Location", "/v1/volumes/" + name + "/" + path).json(body);
  }

  private void delete(Context ctx) {
    Volume v = existing(ctx);
    String path = path(ctx);
    if (!v.remove(path)) {
      throw Refused.notFound("not found in volume " + v.name() + ": " + path);
    }
    ctx.status(204);
  }

  private Volume existing(Context ctx) {
    String name = ctx.pathParam("volume");
    VolumePath.checkName(name);
    if (!volumes.exists(name)) {
      throw Refused.notFound("no volume named '" + name + "'");
    }
    return volumes.open(name);
  }

  private static String path(Context ctx) {
    String p = VolumeRefs.checkPath("path", ctx.pathParam("path"));
    if (p.isBlank()) {
      throw new BadArgumentException("a file path inside the volume is needed");
    }
    return p;
  }

  static SpoolException io(String what, IOException e) {
    return new SpoolException(ErrorCode.IO_ERROR, "cannot " + what + ": " + e.getMessage(), List.of(), e);
  }
}
