package io.spool.transcribe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spool.engine.JobContext;
import io.spool.engine.JobResult;
import io.spool.engine.JobSpec;
import io.spool.engine.JobType;
import io.spool.engine.Resources;
import io.spool.media.BadArgumentException;
import io.spool.media.OutputExistsException;
import io.spool.media.Transcoder;
import io.spool.transcribe.internal.SubtitleMux;
import io.spool.volumes.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code transcribe} job: the speech of one input as text files (TXT, SRT, WebVTT, JSON)
 * and, with an embed output, a copy of the media with the subtitles as a soft track. Build specs
 * with {@link #spec}; register an instance with the engine's workers ({@code EngineConfig.Builder#jobType}),
 * naming the folder where that host keeps its Whisper models. Every output appears only when the
 * job succeeds, each in one step.
 */
public final class TranscribeJob implements JobType {
  public static final String NAME = "transcribe";
  /**
   * The most characters of text, and of segments as JSON, that the job's record keeps; the output
   * files hold the whole transcript whatever its length.
   */
  static final int RECORD_CHARS = 100_000;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path modelsFolder;

  /** A job type whose Whisper models are found in {@code modelsFolder} (and through {@code SPOOL_WHISPER_MODEL}). */
  public TranscribeJob(Path modelsFolder) {
    this.modelsFolder = Objects.requireNonNull(modelsFolder, "modelsFolder");
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A transcribe job.
   *
   * @param outputs where each format goes: local paths or {@code VOLUME:path}
   * @param embed where the media with the subtitles goes ({@code .mp4}, {@code .mov}, {@code .mkv}), or null
   * @param options the engine, model (a path on the worker's host) and language; threads and time
   *     limit come from {@code resources}
   * @param overwrite replace files already at the outputs (otherwise the job fails with OUTPUT_EXISTS)
   */
  public static JobSpec spec(String input, Map<TranscriptFormat, String> outputs, String embed, TranscribeOptions options,
      Resources resources, boolean overwrite) {
    if (outputs.isEmpty() && embed == null) {
      throw new BadArgumentException("a transcribe job needs at least one output: a transcript format or --embed");
    }
    if (resources != null && resources.wantsGpu()) {
      throw new BadArgumentException("transcription runs on the CPU: this build's whisper.cpp has no GPU support; drop --gpu");
    }
    List<String> refs = new ArrayList<>(outputs.values());
    if (embed != null) {
      SubtitleMux.container(embed);
      refs.add(embed);
    }
    for (String ref : refs) {
      if (ref.equals(input)) {
        throw new BadArgumentException("output must not be the input file: " + ref);
      }
      try {
        Transcoder.checkDistinct(Path.of(input), Path.of(ref));
      } catch (java.nio.file.InvalidPathException e) {
        // a volume reference: checked as text above
      }
    }
    if (refs.stream().distinct().count() < refs.size()) {
      throw new BadArgumentException("two outputs of one transcribe job go to the same file: " + refs);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("input", input);
    Map<String, String> files = new LinkedHashMap<>();
    outputs.forEach((f, ref) -> files.put(f.extension(), ref));
    p.put("outputs", files);
    if (embed != null) {
      p.put("embed", embed);
    }
    if (options.engine() != null) {
      p.put("engine", options.engine().id());
    }
    if (options.model() != null) {
      p.put("model", options.model().toAbsolutePath().toString());
    }
    p.put("language", options.language());
    if (overwrite) {
      p.put("overwrite", true);
    }
    return new JobSpec(NAME, p, resources, input, refs.get(0));
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    Path in = ctx.input((String) params.get("input"));
    Map<TranscriptFormat, String> outputs = new LinkedHashMap<>();
    if (params.get("outputs") instanceof Map<?, ?> m) {
      m.forEach((ext, ref) -> outputs.put(TranscriptFormat.parse(String.valueOf(ext)), String.valueOf(ref)));
    }
    String embed = (String) params.get("embed");
    List<String> refs = new ArrayList<>(outputs.values());
    if (embed != null) {
      refs.add(embed);
    }
    boolean overwriteAll = Boolean.TRUE.equals(params.get("overwrite"));
    Map<String, Boolean> replace = new HashMap<>();
    for (String ref : refs) {
      boolean mine = overwriteAll || ctx.publishedByThisJob(ref);
      if (!mine && ctx.exists(ref)) {
        Transcoder.using(ctx.tools()).checkInput(in); // a bad input is the first thing to say
        throw new OutputExistsException(ref);
      }
      replace.put(ref, mine);
    }
    TranscribeOptions options = TranscribeOptions.newBuilder()
        .engine(params.get("engine") == null ? null : SpeechEngine.parse((String) params.get("engine")))
        .model(params.get("model") == null ? null : Path.of((String) params.get("model")))
        .language((String) params.get("language"))
        .threads(ctx.resources().cpu())
        .timeout(ctx.remaining())
        .memoryLimitBytes((long) ctx.resources().memoryMiB() << 20)
        .build();
    TranscribeResult r = Transcriber.using(ctx.tools(), WhisperModels.in(modelsFolder, System.getenv()))
        .transcribe(in, ctx.scratch(), options, ctx::progress);
    List<Volume.Write> writes = new ArrayList<>();
    try {
      for (Map.Entry<TranscriptFormat, String> o : outputs.entrySet()) {
        Volume.Write w = ctx.output(o.getValue());
        writes.add(w);
        o.getKey().write(r.transcript(), w.file());
      }
      if (embed != null) {
        Path srt = ctx.scratch().resolve("subtitles.srt");
        TranscriptFormat.SRT.write(r.transcript(), srt);
        Volume.Write w = ctx.output(embed);
        writes.add(w);
        SubtitleMux.embed(ctx.tools(), in, srt, r.transcript().language(), w.file(), embed, ctx.remaining(),
            options.memoryLimitBytes());
      }
      // Every file is written before any is published: a failure leaves none behind.
      for (int i = 0; i < writes.size(); i++) {
        if (replace.get(refs.get(i))) {
          writes.get(i).commit();
        } else {
          writes.get(i).commitNew(); // a file that appeared meanwhile is left alone
        }
      }
    } finally {
      writes.forEach(Volume.Write::close);
    }
    Map<String, String> details = details(r);
    details.put("outputs", String.join("\n", refs));
    return new JobResult(refs, r.metrics(), r.transcript().durationSeconds(), details);
  }

  /** What the job's record says of the result: the text and segments too, up to {@link #RECORD_CHARS} each. */
  static Map<String, String> details(TranscribeResult r) {
    Map<String, String> d = new LinkedHashMap<>();
    Transcript t = r.transcript();
    d.put("engine", r.engine().id());
    if (r.model() != null) {
      d.put("model", r.model());
    }
    if (t.language() != null) {
      d.put("language", t.language());
    }
    d.put("segmentCount", Integer.toString(t.segments().size()));
    d.put("recognitionSeconds", String.format(java.util.Locale.ROOT, "%.3f", r.recognitionSeconds()));
    String text = t.text();
    d.put("text", text.length() <= RECORD_CHARS ? text : text.substring(0, RECORD_CHARS) + "…");
    try {
      String segments = MAPPER.writeValueAsString(t.segments());
      if (segments.length() <= RECORD_CHARS) {
        d.put("segments", segments);
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (r.note() != null) {
      d.put("note", r.note());
    }
    return d;
  }
}
