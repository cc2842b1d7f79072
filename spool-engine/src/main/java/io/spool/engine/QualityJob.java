package io.spool.engine;

import io.spool.media.quality.Quality;
import io.spool.media.quality.QualityReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in {@code quality} job: PSNR and SSIM of a distorted video against its reference (see
 * {@link Quality}). It publishes nothing; the scores are in its result's details
 * ({@link #details}), which {@code transcode --measure-quality} shares under {@code quality.}.
 */
public final class QualityJob implements JobType {
  public static final String NAME = "quality";

  @Override
  public String name() {
    return NAME;
  }

  /** A job measuring {@code distorted} against {@code reference} (local paths or {@code VOLUME:path}). */
  public static JobSpec spec(String reference, String distorted, Resources resources) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("reference", reference);
    p.put("distorted", distorted);
    return new JobSpec(NAME, p, resources, distorted, null);
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    JobParams p = JobParams.of(params);
    QualityReport r = Quality.using(ctx.tools()).measure(ctx.input(p.string("reference")), ctx.input(p.string("distorted")),
        ctx.scratch(), ctx.resources().cpu(), ctx.remaining(), ctx::progress);
    return new JobResult(List.of(), r.metrics(), r.seconds(), details(r, ""));
  }

  /** The scores as a job result's details, each key after {@code prefix}; infinite PSNR as {@code inf}. */
  public static Map<String, String> details(QualityReport r, String prefix) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(prefix + "psnrMean", number(r.psnrMean()));
    d.put(prefix + "psnrWorst", number(r.psnrWorst()));
    d.put(prefix + "psnrWorstFrame", Long.toString(r.psnrWorstFrame()));
    d.put(prefix + "ssimMean", number(r.ssimMean()));
    d.put(prefix + "ssimWorst", number(r.ssimWorst()));
    d.put(prefix + "ssimWorstFrame", Long.toString(r.ssimWorstFrame()));
    d.put(prefix + "frames", Long.toString(r.frames()));
    d.put(prefix + "size", r.width() + "x" + r.height());
    return d;
  }

  private static String number(double v) {
    return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.6f", v);
  }
}
