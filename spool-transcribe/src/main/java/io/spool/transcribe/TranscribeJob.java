package io.spool.transcribe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spool.engine.JobContext;
import io.spool.engine.JobOutcome;
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
    if (options.piece() != null) {
      throw new BadArgumentException("a piece of a transcription is a job of its own: see pieceSpec");
    }
    return spec(input, outputs, embed, options, resources, overwrite, Map.of());
  }

  /**
   * One piece of a transcription done in pieces ({@link SpeechPieces}): it writes no file; its
   * transcript, times counted from the piece's start, travels back in the job's record for
   * {@link #joinedSpec}.
   */
  public static JobSpec pieceSpec(String input, TranscribeOptions options, Resources resources) {
    TranscribeOptions.Piece piece = Objects.requireNonNull(options.piece(), "options.piece");
    checkCpu(resources);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("input", input);
    p.put("piece", Map.of("start", piece.startSeconds(), "seconds", piece.seconds()));
    putOptions(p, options);
    return new JobSpec(NAME, p, resources, input, null);
  }

  /**
   * The job that finishes a transcription done in pieces: it joins the transcripts of the
   * {@code done} piece jobs (of {@code pieces}, in order), their times shifted back to where each
   * piece starts, and writes the outputs from that, as {@link #spec} would have.
   *
   * @throws BadArgumentException when a piece job did not succeed or holds no transcript
   */
  public static JobSpec joinedSpec(String input, Map<TranscriptFormat, String> outputs, String embed,
      SpeechPieces pieces, List<JobOutcome> done, TranscribeOptions options, Resources resources, boolean overwrite) {
    if (done.size() != pieces.pieces().size()) {
      throw new IllegalArgumentException(pieces.pieces().size() + " pieces but " + done.size() + " piece jobs");
    }
    List<Transcript> parts = new ArrayList<>();
    List<Double> starts = new ArrayList<>();
    double recognition = 0;
    for (int i = 0; i < done.size(); i++) {
      JobOutcome o = done.get(i);
      String segments = o.details().get("segments");
      if (o.state() != io.spool.engine.JobState.SUCCEEDED || segments == null) {
        throw new BadArgumentException("piece job " + o.jobId() + " has no transcript (" + o.state() + ")");
      }
      try {
        parts.add(new Transcript(o.details().get("language"), o.mediaSeconds(),
            MAPPER.readValue(segments, new TypeReference<List<Segment>>() {})));
      } catch (JsonProcessingException e) {
        throw new BadArgumentException("piece job " + o.jobId() + " holds a damaged transcript: " + e.getOriginalMessage());
      }
      starts.add(pieces.pieces().get(i).startSeconds());
      recognition += Double.parseDouble(o.details().getOrDefault("recognitionSeconds", "0"));
    }
    Transcript joined = Transcript.join(parts, starts, pieces.durationSeconds());
    JobOutcome first = done.get(0);
    Map<String, Object> made = new LinkedHashMap<>();
    try {
      made.put("transcript", MAPPER.writeValueAsString(Map.of("language", joined.language() == null ? "" : joined.language(),
          "durationSeconds", joined.durationSeconds(), "segments", joined.segments())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    made.put("engineUsed", first.details().getOrDefault("engine", SpeechEngine.WHISPER.id()));
    if (first.details().containsKey("model")) {
      made.put("modelUsed", first.details().get("model"));
    }
    if (first.details().containsKey("note")) {
      made.put("note", first.details().get("note"));
    }
    made.put("recognitionSeconds", recognition);
    made.put("pieces", done.size());
    return spec(input, outputs, embed, options, resources, overwrite, made);
  }

  private static void checkCpu(Resources resources) {
    if (resources != null && resources.wantsGpu()) {
      throw new BadArgumentException("transcription runs on the CPU: this build's whisper.cpp has no GPU support; drop --gpu");
    }
  }

  private static void putOptions(Map<String, Object> p, TranscribeOptions options) {
    if (options.engine() != null) {
      p.put("engine", options.engine().id());
    }
    if (options.model() != null) {
      p.put("model", options.model().toAbsolutePath().toString());
    }
    p.put("language", options.language());
  }

  private static JobSpec spec(String input, Map<TranscriptFormat, String> outputs, String embed, TranscribeOptions options,
      Resources resources, boolean overwrite, Map<String, Object> made) {
    checkCpu(resources);
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
    putOptions(p, options);
    if (overwrite) {
      p.put("overwrite", true);
    }
    p.putAll(made);
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
    TranscribeOptions.Piece piece = null;
    if (params.get("piece") instanceof Map<?, ?> m) {
      piece = new TranscribeOptions.Piece(((Number) m.get("start")).doubleValue(), ((Number) m.get("seconds")).doubleValue());
    }
    TranscribeOptions options = TranscribeOptions.newBuilder()
        .engine(params.get("engine") == null ? null : SpeechEngine.parse((String) params.get("engine")))
        .model(params.get("model") == null ? null : Path.of((String) params.get("model")))
        .language((String) params.get("language"))
        .threads(ctx.resources().cpu())
        .timeout(ctx.remaining())
        .memoryLimitBytes((long) ctx.resources().memoryMiB() << 20)
        .piece(piece)
        .build();
    TranscribeResult r = params.get("transcript") instanceof String joined ? joined(joined, params)
        : Transcriber.using(ctx.tools(), WhisperModels.in(modelsFolder, System.getenv()))
            .transcribe(in, ctx.scratch(), options, ctx::progress);
    if (piece != null) {
      return new JobResult(List.of(), r.metrics(), r.transcript().durationSeconds(), details(r, Integer.MAX_VALUE));
    }
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
    Map<String, String> details = details(r, RECORD_CHARS);
    details.put("outputs", String.join("\n", refs));
    if (params.get("pieces") instanceof Number n) {
      details.put("pieces", Integer.toString(n.intValue()));
    }
    return new JobResult(refs, r.metrics(), r.transcript().durationSeconds(), details);
  }

  /** The transcript a {@link #joinedSpec} job was given, as the result of a transcription. */
  private static TranscribeResult joined(String json, Map<String, Object> params) {
    try {
      Map<String, Object> m = MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {});
      List<Segment> segments = MAPPER.convertValue(m.get("segments"), new TypeReference<List<Segment>>() {});
      String language = (String) m.get("language");
      Transcript t = new Transcript(language == null || language.isEmpty() ? null : language,
          ((Number) m.get("durationSeconds")).doubleValue(), segments);
      return new TranscribeResult(t, SpeechEngine.parse((String) params.get("engineUsed")), (String) params.get("modelUsed"),
          io.spool.media.Metrics.ZERO, ((Number) params.get("recognitionSeconds")).doubleValue(), (String) params.get("note"));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new BadArgumentException("the joined transcript of this job is damaged: " + e.getMessage());
    }
  }

  /** What the job's record says of the result: the text and segments too, up to {@code cap} characters each. */
  static Map<String, String> details(TranscribeResult r, int cap) {
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
    d.put("text", text.length() <= cap ? text : text.substring(0, cap) + "…");
    try {
      String segments = MAPPER.writeValueAsString(t.segments());
      if (segments.length() <= cap) {
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
