package io.spool.engine;

import io.spool.media.BadArgumentException;
import io.spool.media.Rational;
import io.spool.media.frames.FrameExtraction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in {@code frames-extract} job: frames of a video as numbered images in a folder, at a
 * chosen rate (see {@link FrameExtraction}); published like thumbnails, once all are written.
 */
public final class FramesExtractJob implements JobType {
  public static final String NAME = "frames-extract";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A job writing {@code rate} frames a second of {@code input} into {@code folder} as
   * {@code format} images ({@code png}, {@code jpg} or {@code jpeg}), {@code width} pixels wide
   * (16-7680; null for the picture's own).
   */
  public static JobSpec spec(String input, String folder, Rational rate, String format, Integer width, Resources resources,
      boolean overwrite) {
    if (!rate.isKnown() || rate.numerator() <= 0) {
      throw new BadArgumentException("fps must be a number of frames a second above 0, got '" + rate + "'");
    }
    if (width != null && (width < 16 || width > 7680)) {
      throw new BadArgumentException("width must be between 16 and 7680 pixels, got " + width);
    }
    String f = format.strip().toLowerCase(Locale.ROOT);
    format = f.equals("jpeg") ? "jpg" : f;
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("input", input);
    p.put("folder", folder);
    p.put("fps", rate.numerator() + "/" + rate.denominator());
    p.put("format", format);
    if (width != null) {
      p.put("width", width);
    }
    if (overwrite) {
      p.put("overwrite", true);
    }
    return new JobSpec(NAME, p, resources, input, folder);
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    JobParams p = JobParams.of(params);
    String folder = p.string("folder");
    java.nio.file.Path in = ctx.input(p.string("input"));
    FolderOutput.checkFree(ctx, in, folder, p.flag("overwrite"), List.of("frame-000001." + p.string("format")));
    FrameExtraction.Frames frames = FrameExtraction.using(ctx.tools()).extract(in,
        ctx.scratch().resolve("frames"), Rational.parse(p.string("fps")), p.string("format"), p.integer("width"),
        ctx.resources().cpu(), ctx.remaining(), ctx::progress);
    List<String> refs = FolderOutput.publish(ctx, frames.files(), folder, p.flag("overwrite"));
    Map<String, String> d = new LinkedHashMap<>();
    d.put("count", Integer.toString(refs.size()));
    d.put("first", refs.get(0));
    d.put("last", refs.get(refs.size() - 1));
    d.put("fps", p.string("fps"));
    return new JobResult(refs, frames.metrics(), frames.durationSeconds(), d);
  }
}
