package io.spool.engine;

import io.spool.media.FilterChain;
import io.spool.media.frames.EffectResult;
import io.spool.media.frames.FrameEffects;
import io.spool.media.frames.Overlay;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in {@code frames-overlay} job: text (with the frame number or time), an image and a
 * filter chain of the user's own drawn on every frame in one decoding pass, the audio kept (see
 * {@link FrameEffects}).
 */
public final class FramesOverlayJob implements JobType {
  public static final String NAME = "frames-overlay";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A job drawing {@code overlay} on {@code input} into {@code output} (local paths or
   * {@code VOLUME:path}; the image a local path or {@code VOLUME:path} too).
   *
   * @param image the overlay's image as a reference (the overlay's own image path is not used)
   * @param crf the video quality; null for the output container's preset's
   */
  public static JobSpec spec(String input, String output, Overlay overlay, String image, Integer crf, Resources resources,
      boolean overwrite) {
    SingleOutput.checkDistinct(input, output);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("input", input);
    p.put("output", output);
    if (!overlay.filters().isEmpty()) {
      p.put("filter", overlay.filters().render());
    }
    if (image != null) {
      p.put("image", image);
      p.put("imagePosition", overlay.imagePosition().name());
    }
    if (overlay.text() != null) {
      p.put("text", overlay.text());
      p.put("textPosition", overlay.textPosition().name());
    }
    if (overlay.fontSize() != null) {
      p.put("fontSize", overlay.fontSize());
    }
    if (crf != null) {
      p.put("crf", crf);
    }
    if (overwrite) {
      p.put("overwrite", true);
    }
    return new JobSpec(NAME, p, resources, input, output);
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    JobParams p = JobParams.of(params);
    String filter = p.string("filter", null);
    String imageRef = p.string("image", null);
    Path image = imageRef == null ? null : ctx.input(imageRef);
    Overlay overlay = new Overlay(filter == null ? null : FilterChain.parse(filter), image,
        Overlay.Position.parse(p.string("imagePosition", "top_right")), p.string("text", null),
        Overlay.Position.parse(p.string("textPosition", "bottom_left")), p.integer("fontSize"));
    String out = p.string("output");
    EffectResult r = SingleOutput.write(ctx, p.string("input"), out, p.flag("overwrite"),
        (in, file) -> FrameEffects.using(ctx.tools()).apply(in, file, SingleOutput.fileName(out), overlay, p.integer("crf"),
            ctx.resources().cpu(), ctx.remaining(), ctx::progress));
    return new JobResult(List.of(out), r.metrics(), r.durationSeconds(), details(r));
  }

  /** What a job that changed frames reports. */
  static Map<String, String> details(EffectResult r) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("frames", Long.toString(r.frames()));
    d.put("size", r.width() + "x" + r.height());
    d.put("videoCodec", r.videoCodec());
    if (r.audio() != null) {
      d.put("audio", r.audio());
    }
    d.put("inputBytes", Long.toString(r.inputBytes()));
    d.put("outputBytes", Long.toString(r.outputBytes()));
    return d;
  }
}
