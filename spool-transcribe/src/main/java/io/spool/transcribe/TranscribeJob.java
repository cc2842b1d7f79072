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
 * naming the folder where that host keeps its Whisper models. The outputs appear only when the
 * job succeeds, all of them or none.
 */
public final class TranscribeJob implements JobType {
  public static final String NAME = "transcribe";
  /**
   * The most characters of text, and of segments as JSON, that the job's record keeps; the output
   * files hold the whole transcript whatever its length.
   */
  static final int RECORD_CHARS = 100_000;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What a transcription needs besides its Whisper model: the JVM's share, ffmpeg, a window of audio. */
  static final int BASE_MEMORY_MIB = 512;
  /** The size of the model suggested to people ({@value WhisperModels#SUGGESTED}), for when the model is not known. */
  private static final long SUGGESTED_MODEL_MIB = 142;

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
   * One piece of a transcription done in pieces ({@link SpeechPieces}): it writes its transcript,
   * times counted from the piece's start, as JSON to {@code transcriptRef} (a file in the
   * transcription's work folder: a local path or {@code VOLUME:path}), which {@link #joinedSpec}
   * reads. Only a reference travels through the engine, never the transcript, whose length grows
   * with the media's. The job declares the memory its Whisper model needs ({@link #memoryMiB}).
   */
  public static JobSpec pieceSpec(String input, TranscribeOptions options, String transcriptRef, Resources resources) {
    TranscribeOptions.Piece piece = Objects.requireNonNull(options.piece(), "options.piece");
    Objects.requireNonNull(transcriptRef, "transcriptRef");
    resources = onCpu(resources);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("input", input);
    p.put("piece", Map.of("start", piece.startSeconds(), "seconds", piece.seconds()));
    p.put("transcriptFile", transcriptRef);
    putOptions(p, options);
    return new JobSpec(NAME, p, withMemoryFor(options, resources), input, transcriptRef);
  }

  /**
   * The memory a transcription with {@code options} needs, in MiB: for Whisper, the model (read
   * whole into memory) and its working buffers besides the JVM and ffmpeg; where the model is
   * found only on the worker, that of {@link WhisperModels#SUGGESTED}'s size.
   */
  public static int memoryMiB(TranscribeOptions options) {
    if (options.engine() == SpeechEngine.POCKETSPHINX) {
      return BASE_MEMORY_MIB;
    }
    long modelMiB = SUGGESTED_MODEL_MIB;
    if (options.model() != null) {
      try {
        modelMiB = java.nio.file.Files.size(options.model()) >> 20;
      } catch (java.io.IOException e) {
        // the worker says what is wrong with it
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, BASE_MEMORY_MIB + modelMiB * 3 / 2);
  }

  /** {@code resources} with at least the memory a transcription with {@code options} needs. */
  private static Resources withMemoryFor(TranscribeOptions options, Resources resources) {
    Resources r = resources == null ? Resources.DEFAULT : resources;
    int needed = memoryMiB(options);
    return r.memoryMiB() >= needed ? r : r.toBuilder().memoryMiB(needed).build();
  }

  /**
   * The job that finishes a transcription done in pieces: it joins the transcripts that the piece
   * jobs wrote to {@code transcriptRefs} (one per piece of {@code pieces}, in order), their times
   * shifted back to where each piece starts, and writes the outputs from that, as {@link #spec}
   * would have. {@code done} (the piece jobs' outcomes) gives the engine, model and time taken.
   *
   * @throws BadArgumentException when a piece job did not succeed
   */
  public static JobSpec joinedSpec(String input, Map<TranscriptFormat, String> outputs, String embed,
      SpeechPieces pieces, List<String> transcriptRefs, List<JobOutcome> done, TranscribeOptions options,
      Resources resources, boolean overwrite) {
    if (done.size() != pieces.pieces().size() || transcriptRefs.size() != pieces.pieces().size()) {
      throw new IllegalArgumentException(pieces.pieces().size() + " pieces but " + done.size() + " piece jobs and "
          + transcriptRefs.size() + " transcripts");
    }
    double recognition = 0;
    for (JobOutcome o : done) {
      if (o.state() != io.spool.engine.JobState.SUCCEEDED) {
        throw new BadArgumentException("piece job " + o.jobId() + " has no transcript (" + o.state() + ")");
      }
      recognition += Double.parseDouble(o.details().getOrDefault("recognitionSeconds", "0"));
    }
    JobOutcome first = done.get(0);
    Map<String, Object> made = new LinkedHashMap<>();
    made.put("pieceTranscripts", List.copyOf(transcriptRefs));
    made.put("pieceStarts", pieces.pieces().stream().map(TranscribeOptions.Piece::startSeconds).toList());
    made.put("durationSeconds", pieces.durationSeconds());
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

  /** What a job that asked for a GPU says in its result's {@code fallback}: it recognised on the CPU. */
  static final String CPU_FALLBACK = "recognised on the CPU: Spool's speech engines (whisper.cpp as built here, pocketsphinx) have no GPU support";

  /**
   * {@code resources} for the CPU, where every transcription runs: a job that prefers a GPU
   * ({@code --gpu}) runs on the cpu queue and is charged as a CPU job, as a GPU encode does where
   * no GPU encoder is proven; one that requires a GPU cannot run anywhere.
   */
  private static Resources onCpu(Resources resources) {
    if (resources == null || !resources.wantsGpu()) {
      return resources;
    }
    if (resources.gpuRequired()) {
      throw new BadArgumentException("transcription runs on the CPU: Spool's speech engines (whisper.cpp as built"
          + " here, pocketsphinx) have no GPU support; drop --require-gpu (with --gpu the job runs on the CPU and says so)");
    }
    return resources.toBuilder().gpu("none").queue(null).build();
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
    boolean fellBack = resources != null && resources.wantsGpu();
    resources = onCpu(resources);
    if (made.isEmpty()) {
      resources = withMemoryFor(options, resources);
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
    putOptions(p, options);
    if (overwrite) {
      p.put("overwrite", true);
    }
    if (fellBack) {
      p.put("fallback", CPU_FALLBACK);
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
        .memoryLimitBytes(ctx.memoryLimitBytes())
        .piece(piece)
        .build();
    TranscribeResult r = params.get("pieceTranscripts") instanceof List<?> parts ? joined(ctx, parts, params)
        : Transcriber.using(ctx.tools(), WhisperModels.in(modelsFolder, System.getenv()))
            .transcribe(in, ctx.scratch(), options, ctx::progress);
    if (piece != null) {
      String ref = (String) params.get("transcriptFile");
      try (Volume.Write w = ctx.output(ref)) {
        TranscriptFormat.JSON.write(r.transcript(), w.file());
        w.commit(); // the work folder is this transcription's own
      }
      Map<String, String> details = details(r, RECORD_CHARS);
      details.put("transcriptFile", ref);
      return new JobResult(List.of(ref), r.metrics(), r.transcript().durationSeconds(), details);
    }
    List<Volume.Write> writes = new ArrayList<>();
    try {
      for (Map.Entry<TranscriptFormat, String> o : outputs.entrySet()) {
        Volume.Write w = ctx.output(o.getValue());
        writes.add(w);
        o.getKey().write(r.transcript(), w.file());
      }
      if (embed != null) {
        // WebVTT, not SubRip: a WebVTT file without cues is still one ffmpeg reads, so that where
        // nothing was heard the copy gets an empty subtitle track, as the text files are empty.
        Path vtt = ctx.scratch().resolve("subtitles.vtt");
        TranscriptFormat.VTT.write(r.transcript(), vtt);
        Volume.Write w = ctx.output(embed);
        writes.add(w);
        SubtitleMux.embed(ctx.tools(), in, vtt, r.transcript().language(), w.file(), embed, ctx.remaining(),
            options.memoryLimitBytes());
      }
      // Every file is written before any is published, and they are published all or none: a
      // failure (a file that appeared meanwhile at a place not to be replaced, a full disk) leaves
      // none of them, and what was at their places as it was.
      Volume.commitAll(writes, refs.stream().map(replace::get).toList());
    } finally {
      writes.forEach(Volume.Write::close);
    }
    Map<String, String> details = details(r, RECORD_CHARS);
    details.put("outputs", String.join("\n", refs));
    if (params.get("fallback") instanceof String fallback) {
      details.put("fallback", fallback);
    }
    if (params.get("pieces") instanceof Number n) {
      details.put("pieces", Integer.toString(n.intValue()));
    }
    return new JobResult(refs, r.metrics(), r.transcript().durationSeconds(), details);
  }

  /** The pieces' transcripts that a {@link #joinedSpec} job was given, read from their files and joined. */
  private static TranscribeResult joined(JobContext ctx, List<?> refs, Map<String, Object> params) {
    List<?> starts = (List<?>) params.get("pieceStarts");
    List<Transcript> parts = new ArrayList<>();
    for (Object ref : refs) {
      Path file = ctx.input(String.valueOf(ref));
      try {
        Map<String, Object> m = MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
        List<Segment> segments = MAPPER.convertValue(m.get("segments"), new TypeReference<List<Segment>>() {});
        String language = (String) m.get("language");
        parts.add(new Transcript(language == null || language.isEmpty() ? null : language,
            ((Number) m.get("durationSeconds")).doubleValue(), segments));
      } catch (java.io.IOException | IllegalArgumentException | ClassCastException | NullPointerException e) {
        throw new BadArgumentException("the transcript of a piece, " + ref + ", is damaged: " + e.getMessage());
      }
    }
    Transcript t = Transcript.join(parts, starts.stream().map(x -> ((Number) x).doubleValue()).toList(),
        ((Number) params.get("durationSeconds")).doubleValue());
    return new TranscribeResult(t, SpeechEngine.parse((String) params.get("engineUsed")), (String) params.get("modelUsed"),
        io.spool.media.Metrics.ZERO, ((Number) params.get("recognitionSeconds")).doubleValue(), (String) params.get("note"));
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
