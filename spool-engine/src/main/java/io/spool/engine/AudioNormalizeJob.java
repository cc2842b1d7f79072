package io.spool.engine;

import io.spool.media.audio.Audio;
import io.spool.media.audio.AudioResult;
import io.spool.media.audio.Loudness;
import io.spool.media.audio.LoudnessTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in {@code audio-normalize} job: EBU R128 loudness normalization in two passes to a
 * target, with the loudness of the input and of the written output in its details (see
 * {@link Audio#normalize}).
 */
public final class AudioNormalizeJob implements JobType {
  public static final String NAME = "audio-normalize";

  @Override
  public String name() {
    return NAME;
  }

  /** A job normalizing {@code input} into {@code output} (local paths or {@code VOLUME:path}). */
  public static JobSpec spec(String input, String output, LoudnessTarget target, Resources resources, boolean overwrite) {
    SingleOutput.checkDistinct(input, output);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("input", input);
    p.put("output", output);
    p.put("targetI", target.integrated());
    p.put("targetTp", target.truePeak());
    p.put("targetLra", target.range());
    if (overwrite) {
      p.put("overwrite", true);
    }
    return new JobSpec(NAME, p, resources, input, output);
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    JobParams p = JobParams.of(params);
    LoudnessTarget target = new LoudnessTarget(p.decimal("targetI"), p.decimal("targetTp"), p.decimal("targetLra"));
    String out = p.string("output");
    AudioResult r = SingleOutput.write(ctx, p.string("input"), out, p.flag("overwrite"),
        (in, file) -> Audio.using(ctx.tools()).normalize(in, file, SingleOutput.fileName(out), target, ctx.resources().cpu(),
            ctx.remaining(), ctx::progress));
    Map<String, String> d = new LinkedHashMap<>(basics(r));
    d.put("videoKept", Boolean.toString(r.videoKept()));
    d.put("linear", Boolean.toString(r.linear()));
    loudness(d, "target.", target.integrated(), target.truePeak(), target.range(), Double.NaN);
    Loudness b = r.before();
    Loudness a = r.after();
    loudness(d, "before.", b.integrated(), b.truePeak(), b.range(), b.threshold());
    loudness(d, "after.", a.integrated(), a.truePeak(), a.range(), a.threshold());
    return new JobResult(List.of(out), r.metrics(), r.durationSeconds(), d);
  }

  private static void loudness(Map<String, String> d, String prefix, double i, double tp, double lra, double thresh) {
    d.put(prefix + "integrated", number(i));
    d.put(prefix + "truePeak", number(tp));
    d.put(prefix + "range", number(lra));
    if (!Double.isNaN(thresh)) {
      d.put(prefix + "threshold", number(thresh));
    }
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** What every audio job's details hold: the codec and shape of the output, and the sizes. */
  static Map<String, String> basics(AudioResult r) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("codec", r.codec());
    d.put("sampleRate", Integer.toString(r.sampleRate()));
    d.put("channels", Integer.toString(r.channels()));
    d.put("inputBytes", Long.toString(r.inputBytes()));
    d.put("outputBytes", Long.toString(r.outputBytes()));
    return d;
  }
}
