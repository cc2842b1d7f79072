package io.spool.engine;

import io.spool.media.BadArgumentException;
import io.spool.media.FileIdentity;
import io.spool.media.Input;
import io.spool.media.MediaStream;
import io.spool.media.OutputExistsException;
import io.spool.media.Preset;
import io.spool.media.ProgressListener;
import io.spool.media.TranscodeOptions;
import io.spool.media.TranscodeResult;
import io.spool.media.Transcoder;
import io.spool.media.VideoCodecs;
import io.spool.media.quality.Quality;
import io.spool.media.quality.QualityReport;
import io.spool.volumes.Volume;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The built-in {@code transcode} job: one input to one output with a preset. Build specs with
 * {@link #spec}; the worker runs {@link #run}.
 */
public final class TranscodeJob implements JobType {
  public static final String NAME = "transcode";
  /** Where measuring quality starts in a transcode's progress: it decodes both files once, less work than encoding. */
  private static final double QUALITY_STAGE = 0.7;

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A transcode job that fails with {@link io.spool.media.ErrorCode#OUTPUT_EXISTS} rather than
   * replace a file already at {@code output}. {@code input} and {@code output} are local paths or
   * {@code VOLUME:path}; the options' threads and timeout come from {@code resources}.
   */
  public static JobSpec spec(String input, String output, TranscodeOptions options, Resources resources) {
    return spec(input, output, options, resources, false);
  }

  /** A transcode job; with {@code overwrite}, a file already at {@code output} is replaced when it succeeds. */
  public static JobSpec spec(String input, String output, TranscodeOptions options, Resources resources,
      boolean overwrite) {
    return spec(input, output, options, resources, overwrite, null);
  }

  /**
   * A transcode job that makes {@code output} again in its place: it replaces the file there only
   * if that is still {@code judged} (the same file, size and modification time) when it publishes,
   * and fails with {@link io.spool.media.ErrorCode#OUTPUT_EXISTS} when another file is there by
   * then (published by another process, say) or none is.
   */
  public static JobSpec specReplacing(String input, String output, TranscodeOptions options, Resources resources,
      FileIdentity judged) {
    return spec(input, output, options, resources, false, java.util.Objects.requireNonNull(judged, "judged"));
  }

  private static JobSpec spec(String input, String output, TranscodeOptions options, Resources resources,
      boolean overwrite, FileIdentity replaceOnly) {
    checkDistinct(input, output);
    if (resources != null && resources.wantsGpu() && options.videoCodec() == null) {
      Preset preset = options.preset();
      String gpuCodec = VideoCodecs.gpuCounterpart(preset.video().codec()).orElseThrow(() -> new BadArgumentException(
          "preset " + preset.id() + " encodes with " + preset.video().codec() + ", which has no GPU encoder;"
              + " drop --gpu or pick a GPU --video-codec"));
      options = options.toBuilder().videoCodec(gpuCodec).build();
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("input", input);
    p.put("output", output);
    p.put("preset", options.preset().id());
    put(p, "height", options.height());
    put(p, "crf", options.crf());
    put(p, "videoCodec", options.videoCodec());
    put(p, "audioBitrateKbps", options.audioBitrateKbps());
    p.put("allowUpscale", options.allowUpscale());
    if (overwrite) {
      p.put("overwrite", true);
    }
    if (replaceOnly != null) {
      Map<String, Object> judged = new LinkedHashMap<>();
      put(judged, "fileKey", replaceOnly.fileKey());
      judged.put("sizeBytes", replaceOnly.sizeBytes());
      judged.put("modified", replaceOnly.modified().toString());
      p.put("replaceOnly", judged);
    }
    return new JobSpec(NAME, p, resources, input, output);
  }

  /**
   * The transcode job {@code transcode}, which also measures its output against its input (PSNR
   * and SSIM, see {@link QualityJob}) before publishing it; the scores are in its details under
   * {@code quality.}.
   */
  public static JobSpec measuringQuality(JobSpec transcode) {
    if (!transcode.type().equals(NAME)) {
      throw new BadArgumentException("only a transcode job measures its own quality, not a " + transcode.type() + " job");
    }
    Map<String, Object> p = new LinkedHashMap<>(transcode.params());
    p.put("measureQuality", true);
    return new JobSpec(NAME, p, transcode.resources(), transcode.input(), transcode.output());
  }

  /** An output reference that names the input (as text, or as a local file also through a link) is refused. */
  private static void checkDistinct(String input, String output) {
    if (input.equals(output)) {
      throw new BadArgumentException("output must not be the input file: " + output);
    }
    Path in;
    Path out;
    try {
      in = Path.of(input);
      out = Path.of(output);
    } catch (java.nio.file.InvalidPathException e) {
      return;
    }
    Transcoder.checkDistinct(in, out);
  }

  private static void put(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  static TranscodeOptions options(Map<String, Object> p) {
    return TranscodeOptions.newBuilder()
        .preset(Preset.parse(String.valueOf(p.getOrDefault("preset", "web"))))
        .height(integer(p.get("height")))
        .crf(integer(p.get("crf")))
        .videoCodec((String) p.get("videoCodec"))
        .audioBitrateKbps(integer(p.get("audioBitrateKbps")))
        .allowUpscale(Boolean.TRUE.equals(p.get("allowUpscale")))
        .build();
  }

  /** The options a job asked for, fitted to the attempt: its cores, the time it has left, its memory. */
  static TranscodeOptions.Builder fitted(TranscodeOptions asked, JobContext ctx) {
    return asked.toBuilder().threads(ctx.resources().cpu()).timeout(ctx.remaining())
        .memoryLimitBytes(ctx.memoryLimitBytes());
  }

  private static Integer integer(Object o) {
    return o == null ? null : ((Number) o).intValue();
  }

  /**
   * How a job read its input, for its details: {@code url} (in place, over HTTP), {@code copy} (a
   * copy downloaded into scratch) or {@code file} (a file on this host).
   */
  static String howRead(JobContext ctx, String ref, Input in) {
    return in.remote() != null ? "url" : ctx.localFile(ref).isPresent() ? "file" : "copy";
  }

  /** The file a job may replace ({@code replaceOnly}), or null when it was given none. */
  private static FileIdentity replaceOnly(Map<String, Object> p) {
    if (!(p.get("replaceOnly") instanceof Map<?, ?> m)) {
      return null;
    }
    Object key = m.get("fileKey");
    return new FileIdentity(key == null ? null : key.toString(), ((Number) m.get("sizeBytes")).longValue(),
        java.time.Instant.parse(String.valueOf(m.get("modified"))));
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    TranscodeOptions asked = options(params);
    Map<String, String> details = new HashMap<>();
    TranscodeOptions.Builder b = fitted(asked, ctx);
    if (VideoCodecs.isGpu(asked.videoCodec()) && !ctx.gpuEncodeAvailable() && ctx.resources().gpuRequired()) {
      throw new io.spool.media.EnvironmentException("the job requires a GPU, and this worker proved no NVENC encoder");
    }
    if (VideoCodecs.isGpu(asked.videoCodec()) && !ctx.gpuEncodeAvailable()) {
      String cpuCodec = VideoCodecs.cpuCounterpart(asked.videoCodec());
      b.videoCodec(cpuCodec);
      details.put("fallback", "encoded with " + cpuCodec + " instead of " + asked.videoCodec()
          + ": no worker with a proven GPU encoder took it (spool doctor shows why)");
    }
    String inRef = (String) params.get("input");
    boolean measure = Boolean.TRUE.equals(params.get("measureQuality"));
    // Measuring quality decodes the input a second time: read from a local file both times.
    Input in = measure ? Input.of(ctx.input(inRef)) : ctx.streamedInput(inRef);
    details.put("inputRead", howRead(ctx, inRef, in));
    String outRef = (String) params.get("output");
    boolean overwrite = Boolean.TRUE.equals(params.get("overwrite")) || ctx.publishedByThisJob(outRef);
    FileIdentity replaceOnly = replaceOnly(params);
    if (!overwrite && replaceOnly == null && ctx.exists(outRef)) {
      Transcoder.using(ctx.tools()).checkInput(in); // a bad input is the first thing to say
      throw new OutputExistsException(outRef);
    }
    ProgressListener progress = ctx::progress;
    try (Volume.Write out = ctx.output(outRef)) {
      TranscodeResult r = Transcoder.using(ctx.tools()).transcodeStaged(in, out.file(), b.build(),
          measure ? progress.within(0, QUALITY_STAGE) : progress);
      if (measure) {
        QualityReport q = Quality.using(ctx.tools()).measure(in.path(), out.file(), ctx.scratch(), ctx.resources().cpu(),
            ctx.remaining(), progress.within(QUALITY_STAGE, 1));
        details.putAll(QualityJob.details(q, "quality."));
      }
      if (overwrite) {
        out.commit();
      } else if (replaceOnly != null) {
        out.commitReplacing(replaceOnly); // only the file that was judged, not one published meanwhile
      } else {
        out.commitNew(); // a file that appeared meanwhile is left alone
      }
      details.put("preset", r.preset());
      details.put("videoCodec", String.valueOf(r.videoCodec()));
      details.put("inputBytes", Long.toString(r.inputBytes()));
      details.put("outputBytes", Long.toString(r.outputBytes()));
      if (r.width() > 0) {
        details.put("size", r.width() + "x" + r.height());
      }
      details.put("streams", r.outputInfo().streams().stream().map(MediaStream::codec).collect(Collectors.joining("/")));
      return new JobResult(java.util.List.of(outRef), r.metrics(), r.durationSeconds(), details);
    }
  }
}
