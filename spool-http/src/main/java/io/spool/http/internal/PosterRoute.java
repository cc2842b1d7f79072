package io.spool.http.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.spool.engine.JobRecord;
import io.spool.engine.SpoolEngine;
import io.spool.media.ProgressListener;
import io.spool.media.thumbnails.ThumbnailOptions;
import io.spool.media.thumbnails.ThumbnailSet;
import io.spool.media.thumbnails.Thumbnails;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /v1/jobs/{id}/outputs/{name}/poster}: a 320-pixel-wide JPEG of the middle frame of a
 * video output (the thumbnails operation's, with a count of one), made once and kept in the
 * server's scratch folder, for the dashboard's list of outputs.
 */
final class PosterRoute {
  private static final Set<String> VIDEO = Set.of("mp4", "m4v", "mov", "mkv", "webm");
  private static final ThumbnailOptions POSTER = ThumbnailOptions.newBuilder().count(1).width(320).format("jpg").build();

  private final SpoolEngine engine;
  private final Path folder;
  private final Map<String, Object> making = new ConcurrentHashMap<>();

  PosterRoute(SpoolEngine engine, Path folder) {
    this.engine = engine;
    this.folder = folder;
  }

  void addTo(RoutesConfig routes) {
    routes.get("/v1/jobs/{id}/outputs/{name}/poster", this::poster);
  }

  private void poster(Context ctx) throws IOException {
    String id = ctx.pathParam("id");
    String name = ctx.pathParam("name");
    JobRecord r = engine.store().job(id).orElseThrow(() -> Refused.notFound("no job with id " + id));
    int dot = name.lastIndexOf('.');
    if (dot < 0 || !VIDEO.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
      throw Refused.notFound("job " + id + "'s output '" + name + "' is not a video");
    }
    Path video = JobViews.outputFile(engine, r, name)
        .orElseThrow(() -> Refused.notFound("job " + id + " has no output named '" + name + "' (yet)"));
    Path jpeg = folder.resolve(key(video) + ".jpg");
    synchronized (making.computeIfAbsent(jpeg.toString(), k -> new Object())) {
      if (!Files.isRegularFile(jpeg)) {
        make(video, jpeg);
      }
    }
    ctx.header("Cache-Control", "private, max-age=3600");
    FileAnswers.send(ctx, jpeg, "image/jpeg", null);
  }

  private void make(Path video, Path jpeg) throws IOException {
    Files.createDirectories(folder);
    Path work = Files.createTempDirectory(folder, ".poster-");
    try {
      ThumbnailSet set = Thumbnails.using(engine.config().tools()).make(video, work, POSTER, ProgressListener.NONE);
      Files.move(set.thumbnails().get(0), jpeg, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Names a poster after the output file as it is now (path, size, time), so a replaced output gets a new one. */
  private static String key(Path video) throws IOException {
    String what = video.toAbsolutePath() + "\n" + Files.size(video) + "\n" + Files.getLastModifiedTime(video).toMillis();
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(what.getBytes(StandardCharsets.UTF_8)), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
