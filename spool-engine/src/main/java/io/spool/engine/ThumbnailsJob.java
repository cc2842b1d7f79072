package io.spool.engine;

import io.spool.media.thumbnails.ThumbnailOptions;
import io.spool.media.thumbnails.ThumbnailSet;
import io.spool.media.thumbnails.Thumbnails;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The built-in {@code thumbnails} job: thumbnails of a video, a poster frame, a sprite sheet if
 * asked and a WebVTT thumbnail track, into one folder (see {@link Thumbnails}). They are made in
 * the job's scratch folder and published one by one once all are made; a file already at any of
 * their places fails the job before anything is published, unless it was told to overwrite.
 */
public final class ThumbnailsJob implements JobType {
  public static final String NAME = "thumbnails";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A job making thumbnails of {@code input} into the folder {@code folder} (local paths or
   * {@code VOLUME:path}); the options' threads and timeout come from {@code resources}.
   */
  public static JobSpec spec(String input, String folder, ThumbnailOptions options, Resources resources, boolean overwrite) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("input", input);
    p.put("folder", folder);
    if (options.count() != null) {
      p.put("count", options.count());
    }
    if (!options.at().isEmpty()) {
      p.put("at", options.at());
    }
    if (options.every() != null) {
      p.put("every", options.every());
    }
    p.put("width", options.width());
    p.put("format", options.format());
    p.put("sprite", options.sprite());
    p.put("method", options.method().name());
    if (overwrite) {
      p.put("overwrite", true);
    }
    return new JobSpec(NAME, p, resources, input, folder);
  }

  static ThumbnailOptions options(JobParams p) {
    List<Double> at = p.decimals("at");
    return ThumbnailOptions.newBuilder().count(p.integer("count")).at(at.isEmpty() ? null : at).every(p.decimal("every"))
        .width(p.integer("width") == null ? 320 : p.integer("width")).format(p.string("format", "jpg"))
        .sprite(p.flag("sprite")).method(ThumbnailOptions.Method.parse(p.string("method", "auto"))).build();
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    JobParams p = JobParams.of(params);
    ThumbnailOptions options = options(p).toBuilder().threads(ctx.resources().cpu()).timeout(ctx.remaining()).build();
    String folder = p.string("folder");
    Path in = ctx.input(p.string("input"));
    // The names every set has: a second run into the same folder fails before any work.
    FolderOutput.checkFree(ctx, in, folder, p.flag("overwrite"),
        List.of("thumb-0001." + options.format(), "poster." + options.format(), "thumbnails.vtt"));
    ThumbnailSet set = Thumbnails.using(ctx.tools()).make(in, ctx.scratch().resolve("thumbnails"), options, ctx::progress);
    List<String> refs = FolderOutput.publish(ctx, set.files(), folder, p.flag("overwrite"));
    Map<String, String> d = new LinkedHashMap<>();
    d.put("count", Integer.toString(set.thumbnails().size()));
    d.put("times", set.times().stream().map(t -> String.format(Locale.ROOT, "%.3f", t)).collect(Collectors.joining(",")));
    d.put("method", set.method().name().toLowerCase(Locale.ROOT));
    d.put("size", set.width() + "x" + set.height());
    d.put("format", options.format());
    d.put("poster", FolderOutput.child(folder, set.poster().getFileName().toString()));
    d.put("posterIndex", Integer.toString(set.posterIndex()));
    d.put("track", FolderOutput.child(folder, set.track().getFileName().toString()));
    if (set.sprite() != null) {
      d.put("sprite", FolderOutput.child(folder, set.sprite().getFileName().toString()));
      d.put("spriteLayout", set.columns() + "x" + set.rows());
    }
    return new JobResult(refs, set.metrics(), set.durationSeconds(), d);
  }

  /** Where thumbnail {@code index} (from 0) of a set in {@code format} is published in {@code folder}. */
  public static String thumbnail(String folder, int index, String format) {
    return FolderOutput.child(folder, String.format(Locale.ROOT, "thumb-%04d.%s", index + 1, format));
  }
}
