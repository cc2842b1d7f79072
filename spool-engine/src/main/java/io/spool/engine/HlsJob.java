package io.spool.engine;

import io.spool.media.BadArgumentException;
import io.spool.media.FFprobe;
import io.spool.media.Input;
import io.spool.media.OutputExistsException;
import io.spool.media.hls.HlsOptions;
import io.spool.media.hls.HlsPackager;
import io.spool.media.hls.HlsResult;
import io.spool.media.hls.HlsRung;
import io.spool.volumes.Volume;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The built-in {@code hls} job: an HLS ladder of one input, published as one folder (see
 * {@link HlsPackager}). Its result's details describe each rung under {@code rung.NAME.}.
 */
public final class HlsJob implements JobType {
  public static final String NAME = "hls";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A job writing the ladder of {@code input} into the folder {@code output} (local paths or
   * {@code VOLUME:path}); with {@code overwrite}, what is at {@code output} is replaced when it
   * succeeds, otherwise the job fails with {@link io.spool.media.ErrorCode#OUTPUT_EXISTS}. The
   * options' threads and timeout come from {@code resources}.
   */
  public static JobSpec spec(String input, String output, HlsOptions options, Resources resources, boolean overwrite) {
    if (input.equals(output)) {
      throw new BadArgumentException("output folder must not be the input file: " + output);
    }
    if (resources != null && resources.wantsGpu()) {
      throw new BadArgumentException("HLS ladders are encoded with libx264 on the CPU; drop --gpu");
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("input", input);
    p.put("output", output);
    p.put("ladder", options.heights().stream().map(String::valueOf).collect(Collectors.joining(",")));
    p.put("segmentSeconds", options.segmentSeconds());
    if (options.crf() != null) {
      p.put("crf", options.crf());
    }
    if (overwrite) {
      p.put("overwrite", true);
    }
    return new JobSpec(NAME, p, resources, input, output);
  }

  static HlsOptions options(JobParams p) {
    return HlsOptions.newBuilder().heights(HlsOptions.parseLadder(p.string("ladder")))
        .segmentSeconds(p.decimal("segmentSeconds") == null ? HlsOptions.DEFAULT_SEGMENT_SECONDS : p.decimal("segmentSeconds"))
        .crf(p.integer("crf")).build();
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    JobParams p = JobParams.of(params);
    HlsOptions options = options(p).toBuilder().threads(ctx.resources().cpu()).timeout(ctx.remaining())
        .memoryLimitBytes(ctx.memoryLimitBytes()).build();
    Input in = ctx.streamedInput(p.string("input"));
    String outRef = p.string("output");
    boolean overwrite = p.flag("overwrite") || ctx.publishedByThisJob(outRef);
    if (!overwrite && ctx.exists(outRef)) {
      FFprobe.using(ctx.tools()).probe(in); // a bad input is the first thing to say
      throw new OutputExistsException(outRef);
    }
    try (Volume.Write out = ctx.outputFolder(outRef)) {
      HlsResult r = HlsPackager.using(ctx.tools()).writeStaged(in, out.file(), Path.of(outRef), options, ctx::progress);
      if (overwrite) {
        out.commit();
      } else {
        out.commitNew(); // a folder that appeared meanwhile is left alone
      }
      Map<String, String> details = details(r);
      details.put("inputRead", TranscodeJob.howRead(ctx, p.string("input"), in));
      return new JobResult(List.of(outRef), r.metrics(), r.durationSeconds(), details);
    }
  }

  /** The ladder as a job result's details: {@code master}, {@code rungs} (names), {@code rung.NAME.*}, {@code dropped}. */
  static Map<String, String> details(HlsResult r) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("master", r.master());
    d.put("rungs", r.rungs().stream().map(HlsRung::name).collect(Collectors.joining(",")));
    long bytes = 0;
    for (HlsRung rung : r.rungs()) {
      String k = "rung." + rung.name() + ".";
      d.put(k + "size", rung.width() + "x" + rung.height());
      d.put(k + "bandwidth", Long.toString(rung.bandwidth()));
      d.put(k + "averageBandwidth", Long.toString(rung.averageBandwidth()));
      if (rung.codecs() != null) {
        d.put(k + "codecs", rung.codecs());
      }
      d.put(k + "segments", Integer.toString(rung.segments()));
      d.put(k + "bytes", Long.toString(rung.bytes()));
      bytes += rung.bytes();
    }
    d.put("outputBytes", Long.toString(bytes));
    if (!r.dropped().isEmpty()) {
      d.put("dropped", r.dropped().stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    return d;
  }
}
