package io.spool.engine;

import io.spool.media.Input;
import io.spool.media.audio.Audio;
import io.spool.media.audio.AudioFormat;
import io.spool.media.audio.AudioResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in {@code audio-extract} job: the main audio track of a file as WAV 16 kHz mono (for
 * speech recognition), MP3, AAC or Opus (see {@link Audio#extract}).
 */
public final class AudioExtractJob implements JobType {
  public static final String NAME = "audio-extract";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A job extracting the audio of {@code input} into {@code output} (local paths or
   * {@code VOLUME:path}) as {@code format}; null takes the format the output's name implies.
   */
  public static JobSpec spec(String input, String output, AudioFormat format, Resources resources, boolean overwrite) {
    SingleOutput.checkDistinct(input, output);
    AudioFormat f = format != null ? format : AudioFormat.forFileName(SingleOutput.fileName(output));
    f.muxerFor(SingleOutput.fileName(output)); // a name that does not fit fails now, not on a worker
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("input", input);
    p.put("output", output);
    p.put("format", f.id());
    if (overwrite) {
      p.put("overwrite", true);
    }
    return new JobSpec(NAME, p, resources, input, output);
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    JobParams p = JobParams.of(params);
    AudioFormat format = AudioFormat.parse(p.string("format"));
    String out = p.string("output");
    Input in = ctx.streamedInput(p.string("input"));
    AudioResult r = SingleOutput.write(ctx, in, out, p.flag("overwrite"),
        (input, file) -> Audio.using(ctx.tools()).extract(input, file, SingleOutput.fileName(out), format,
            ctx.resources().cpu(), ctx.remaining(), ctx::progress));
    Map<String, String> d = new LinkedHashMap<>(AudioNormalizeJob.basics(r));
    d.put("format", format.id());
    d.put("inputRead", TranscodeJob.howRead(ctx, p.string("input"), in));
    return new JobResult(List.of(out), r.metrics(), r.durationSeconds(), d);
  }
}
