package io.spool.engine;

import io.spool.media.BadArgumentException;
import io.spool.media.frames.EffectResult;
import io.spool.media.frames.FramePipe;
import io.spool.media.frames.FrameProcessor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The {@code frames-process} job: Java code of your own run on every frame of a video, fed raw
 * frames through a pipe and encoded as they come (see {@link FramePipe}). A job names its
 * processor; the processors a worker can run are the ones it was given when its job type was
 * registered, so that a job can only ever pick among them:
 * {@code EngineConfig.newBuilder(home).jobType(FramesProcessJob.of(Map.of("invert", Invert::new)))}.
 */
public final class FramesProcessJob implements JobType {
  public static final String NAME = "frames-process";

  private final Map<String, Supplier<? extends FrameProcessor>> processors;

  private FramesProcessJob(Map<String, Supplier<? extends FrameProcessor>> processors) {
    this.processors = new TreeMap<>(processors);
    this.processors.keySet().forEach(FramesProcessJob::checkName);
  }

  /** The job type with the processors this worker can run, by name; each job gets a new one from its supplier. */
  public static FramesProcessJob of(Map<String, ? extends Supplier<? extends FrameProcessor>> processors) {
    return new FramesProcessJob(Map.copyOf(Objects.requireNonNull(processors, "processors")));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** A job running the processor named {@code processor} over {@code input} into {@code output}. */
  public static JobSpec spec(String input, String output, String processor, Integer crf, Resources resources,
      boolean overwrite) {
    SingleOutput.checkDistinct(input, output);
    checkName(processor);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("input", input);
    p.put("output", output);
    p.put("processor", processor);
    if (crf != null) {
      p.put("crf", crf);
    }
    if (overwrite) {
      p.put("overwrite", true);
    }
    return new JobSpec(NAME, p, resources, input, output);
  }

  private static void checkName(String name) {
    if (name == null || !name.matches("[a-z][a-z0-9-]{0,63}")) {
      throw new BadArgumentException("a frame processor's name is lower-case letters, digits and '-', got '" + name + "'");
    }
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    JobParams p = JobParams.of(params);
    String name = p.string("processor");
    Supplier<? extends FrameProcessor> supplier = processors.get(name);
    if (supplier == null) {
      throw new BadArgumentException("no frame processor named '" + name + "' on this worker; it has "
          + (processors.isEmpty() ? "none" : String.join(", ", processors.keySet())));
    }
    FrameProcessor processor = supplier.get();
    String out = p.string("output");
    EffectResult r = SingleOutput.write(ctx, p.string("input"), out, p.flag("overwrite"),
        (in, file) -> FramePipe.using(ctx.tools()).run(in, file, SingleOutput.fileName(out), processor, p.integer("crf"),
            ctx.resources().cpu(), ctx.remaining(), ctx::progress));
    Map<String, String> d = FramesOverlayJob.details(r);
    d.put("processor", name);
    return new JobResult(List.of(out), r.metrics(), r.durationSeconds(), d);
  }
}
