package io.spool.engine;

import io.spool.engine.internal.Refs;
import io.spool.media.BadArgumentException;
import io.spool.media.CancelledException;
import io.spool.media.ChunkPlan;
import io.spool.media.ChunkedTranscoder;
import io.spool.media.ErrorCode;
import io.spool.media.Metrics;
import io.spool.media.OutputExistsException;
import io.spool.media.ProgressListener;
import io.spool.media.SpoolException;
import io.spool.media.TranscodeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One transcode as many jobs, so that the chunks of a long input encode at once on every worker
 * (the guide's advice to parallelize by keyframe-aligned chunks, done frame-exact): a
 * {@code transcode-plan} job cuts the input at keyframes, one {@code transcode-chunk} job per chunk
 * (and one for the audio, encoded once) runs as a batch, each retried on its own, and a
 * {@code transcode-join} job joins them without encoding again. The output has the frames a
 * single-pass {@link TranscodeJob} would make. It drives the engine through its public API alone,
 * from the submitting process, so it runs the same embedded and on a shared service.
 *
 * <p>Input and output are local paths or {@code VOLUME:path}s: in a volume that every worker
 * reaches (S3), the chunks of one file encode on several machines.
 *
 * <p>The chunks are kept in a work folder beside the output ({@code OUTPUT.chunks}) until the join
 * has published the output; with {@link Builder#resume}, a run after a failure or an interrupt
 * encodes only the chunks that folder lacks. A chunk that fails for good fails the transcode with
 * its reason, and the chunks still running are cancelled.
 */
public final class ChunkedTranscode {
  /** Chunk length unless told otherwise. */
  public static final double DEFAULT_CHUNK_SECONDS = 10;
  /**
   * The names of the files a chunked transcode writes in its work folder (a plan's key, then the
   * part), and of their unfinished writes.
   */
  static final Pattern WORK_FILE = Pattern.compile("\\.?[0-9a-f]{12}-(v[0-9]{4,}|audio)\\.mp4(\\.spool-.*\\.partial)?");

  private final String input;
  private final String output;
  private final TranscodeOptions options;
  private final Resources resources;
  private final double chunkSeconds;
  private final boolean overwrite;
  private final boolean resume;

  private ChunkedTranscode(Builder b) {
    this.input = Objects.requireNonNull(b.input, "input");
    this.output = Objects.requireNonNull(b.output, "output");
    this.options = b.options;
    this.resources = b.resources;
    this.chunkSeconds = b.chunkSeconds;
    this.overwrite = b.overwrite;
    this.resume = b.resume;
    if (!(chunkSeconds >= 1)) {
      throw new BadArgumentException("--chunk-seconds must be at least 1, got " + chunkSeconds);
    }
    if (resources.wantsGpu()) {
      throw new BadArgumentException("a chunked transcode encodes on the CPU (libx264, libx265); drop --gpu");
    }
    ChunkedTranscoder.checkChunkable(options);
  }

  /** A chunked transcode of {@code input} to {@code output} (local paths or {@code VOLUME:path}s). */
  public static Builder newBuilder(String input, String output) {
    return new Builder(input, output);
  }

  /**
   * The folder beside {@code output} that holds its chunks until they are joined: a local path,
   * or {@code VOLUME:path} beside an output in a volume.
   */
  static String workFolder(SpoolEngine engine, String output) {
    return engine.isVolumeRef(output) ? output + ".chunks" : workFolder(output).toString();
  }

  /** The folder beside the local file {@code output} that holds its chunks until they are joined. */
  public static Path workFolder(String output) {
    Path out = Path.of(output).toAbsolutePath();
    return out.resolveSibling(out.getFileName() + ".chunks");
  }

  /** The file {@code name} in the work folder {@code work}. */
  private static String inWork(String work, String name) {
    return work + "/" + name;
  }

  /**
   * Runs the transcode on {@code engine} and waits for it, reporting overall progress (over all
   * chunks) to {@code progress}. Returns the join job's outcome with what every job of the
   * transcode used and cost, and its wall time.
   *
   * @throws SpoolException why it failed: a job's own reason, for a chunk with its place in the input
   */
  public JobOutcome run(SpoolEngine engine, ProgressListener progress) {
    try {
      return runJobs(engine, progress);
    } catch (RuntimeException e) {
      Refs.localFile(workFolder(engine, output), engine.volumes()).ifPresent(ChunkedTranscode::removeIfEmpty);
      throw e;
    }
  }

  /**
   * Removes the work folder of a failed run when it holds nothing, so that it leaves no trace
   * beside the output unless there are chunks for a resumed run to keep.
   */
  private static void removeIfEmpty(Path folder) {
    try {
      Files.deleteIfExists(folder);
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      // chunks a resumed run keeps
    } catch (java.io.IOException e) {
      // an empty folder left behind costs nothing; the run's own failure is what matters
    }
  }

  private JobOutcome runJobs(SpoolEngine engine, ProgressListener progress) {
    Map<String, Object> encoding = new LinkedHashMap<>(TranscodeJob.spec(input, output, options, resources, overwrite).params());
    encoding.keySet().removeAll(List.of("input", "output", "overwrite"));
    if (!overwrite && Refs.exists(output, engine.volumes())) {
      throw new OutputExistsException(output);
    }
    long started = System.nanoTime();
    Resources one = resources.toBuilder().cpu(1).memoryMiB(null).build();
    String work = workFolder(engine, output);
    String key = workKey(encoding, Refs.identity(input, engine.volumes()));
    List<JobOutcome> outcomes = new ArrayList<>();
    // The audio needs no plan: it is encoded while the input is planned.
    String audio = inWork(work, key + "-audio.mp4");
    JobHandle audioJob = engine.spawn(part(encoding, null, "audio", audio));
    JobOutcome encodedAudio;
    ChunkPlan plan;
    List<JobSpec> parts = new ArrayList<>();
    try {
      Map<String, Object> planParams = new LinkedHashMap<>(encoding);
      planParams.put("input", input);
      planParams.put("chunkSeconds", chunkSeconds);
      JobOutcome planned = engine.remote(new JobSpec(ChunkPlanJob.NAME, planParams, one, input, work));
      outcomes.add(planned);
      if (planned.state() != JobState.SUCCEEDED) {
        throw failure(planned, "planning the chunks of " + input);
      }
      plan = ChunkPlan.fromJson(planned.details().get("plan"));
      for (ChunkPlan.Chunk c : plan.chunks()) {
        parts.add(part(encoding, plan.only(c.index()), "video",
            inWork(work, String.format(Locale.ROOT, "%s-v%04d.mp4", key, c.index()))));
      }
      outcomes.addAll(encode(engine, parts, plan, progress));
      encodedAudio = audioJob.result();
    } catch (RuntimeException e) {
      audioJob.cancel();
      try {
        audioJob.result(); // ended, so that its unfinished file is gone before the run's own failure is reported
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
    outcomes.add(encodedAudio);
    if (encodedAudio.state() != JobState.SUCCEEDED) {
      throw failure(encodedAudio, "encoding the audio of " + input);
    }
    boolean silent = "none".equals(encodedAudio.details().get("audio"));

    Map<String, Object> joinParams = new LinkedHashMap<>(encoding);
    joinParams.put("input", input);
    joinParams.put("output", output);
    if (overwrite) {
      joinParams.put("overwrite", true);
    }
    joinParams.put("plan", plan.toJson());
    joinParams.put("chunks", parts.stream().map(JobSpec::output).toList());
    joinParams.put("frames", outcomes.subList(1, 1 + parts.size()).stream()
        .map(o -> Long.parseLong(o.details().get("frames"))).toList());
    if (!silent) {
      joinParams.put("audio", audio);
    }
    joinParams.put("workDir", work);
    JobOutcome joined = engine.remote(new JobSpec(ChunkJoinJob.NAME, joinParams, one, input, output));
    outcomes.add(joined);
    if (joined.state() != JobState.SUCCEEDED) {
      throw failure(joined, "joining the chunks into " + output);
    }
    return total(joined, outcomes, plan, (System.nanoTime() - started) / 1e9);
  }

  /**
   * Names the work of this transcode in its work files: the input as it is now (its reference and
   * {@code identity}: size and modification time), the encoding options and the chunk length. A
   * resumed run keeps only files made for the very same work.
   */
  private String workKey(Map<String, Object> encoding, java.util.Optional<String> identity) {
    StringBuilder what = new StringBuilder(input).append('\n');
    identity.ifPresent(id -> what.append(id).append('\n'));
    new TreeMap<>(encoding).forEach((k, v) -> what.append(k).append('=').append(v).append('\n'));
    what.append("chunkSeconds=").append(chunkSeconds);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(what.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private JobSpec part(Map<String, Object> encoding, ChunkPlan plan, String part, String file) {
    Map<String, Object> p = new LinkedHashMap<>(encoding);
    p.put("input", input);
    p.put("output", file);
    if (plan != null) {
      p.put("plan", plan.toJson());
    }
    p.put("part", part);
    if (resume) {
      p.put("reuse", true);
    }
    return new JobSpec(ChunkEncodeJob.NAME, p, resources, input, file);
  }

  /**
   * Runs the chunk jobs as one batch and waits for all of them. The first to fail for good
   * cancels the others; once they have ended, its reason is the transcode's.
   */
  private List<JobOutcome> encode(SpoolEngine engine, List<JobSpec> parts, ChunkPlan plan, ProgressListener progress) {
    BatchHandle batch = engine.submit(ChunkEncodeJob.NAME, parts, 0);
    Map<String, Integer> indexOf = new HashMap<>();
    for (int i = 0; i < batch.jobIds().size(); i++) {
      indexOf.put(batch.jobIds().get(i), i);
    }
    double[] weight = new double[parts.size()];
    for (ChunkPlan.Chunk c : plan.chunks()) {
      weight[c.index()] = c.last() ? Math.max(1, plan.durationSeconds() * plan.frameRate().toDouble() - c.firstFrame())
          : c.frames();
    }
    ChunkProgress follower = ChunkProgress.follow(batch, indexOf, weight, progress);
    JobOutcome[] ended = new JobOutcome[parts.size()];
    JobOutcome failed = null;
    try {
      for (JobOutcome o : (Iterable<JobOutcome>) batch.asCompleted()::iterator) {
        ended[indexOf.get(o.jobId())] = o;
        follower.ended(indexOf.get(o.jobId()));
        if (o.state() != JobState.SUCCEEDED && failed == null) {
          failed = o;
          batch.cancel();
        }
      }
    } finally {
      follower.stop();
    }
    if (failed != null) {
      int index = indexOf.get(failed.jobId());
      throw failure(failed, String.format(Locale.ROOT, "chunk %d of %d (from %.2f s)", index + 1, plan.chunks().size(),
          plan.startSeconds(plan.chunk(index))));
    }
    return List.of(ended);
  }

  /** The failure of the transcode for job {@code o}, which was doing {@code what}. */
  private static SpoolException failure(JobOutcome o, String what) {
    ErrorCode code = ErrorCode.JOB_FAILED;
    for (ErrorCode c : ErrorCode.values()) {
      if (c.name().equals(o.errorCode())) {
        code = c;
      }
    }
    if (code == ErrorCode.CANCELLED) {
      return new CancelledException(what + " was cancelled (job " + o.jobId() + ")");
    }
    String why = o.error() == null ? "the job " + o.state().name().toLowerCase(Locale.ROOT) : o.error();
    return new SpoolException(code, what + " failed" + (o.attempts() > 1 ? " after " + o.attempts() + " attempts" : "")
        + ": " + why + " (job " + o.jobId() + ")");
  }

  /** The join's outcome with what the whole transcode used: every job's CPU time and cost, the wall time from start to end. */
  private static JobOutcome total(JobOutcome joined, List<JobOutcome> all, ChunkPlan plan, double wallSeconds) {
    Metrics used = Metrics.ZERO;
    JobCost cost = JobCost.ZERO;
    int reused = 0;
    for (JobOutcome o : all) {
      used = used.plus(o.metrics());
      cost = cost.plus(o.cost());
      reused += Boolean.parseBoolean(o.details().get("reused")) ? 1 : 0;
    }
    Map<String, String> details = new HashMap<>(joined.details());
    details.put("reusedChunks", Integer.toString(reused));
    return new JobOutcome(joined.jobId(), joined.batchId(), joined.index(), joined.type(), joined.input(), joined.output(),
        joined.state(), null, null, joined.attempts(), all.get(0).startedAt(), joined.finishedAt(),
        new Metrics(wallSeconds, used.userSeconds(), used.systemSeconds(), used.peakRssBytes()), plan.durationSeconds(),
        cost, details, joined.attemptLog());
  }

  public static final class Builder {
    private final String input;
    private final String output;
    private TranscodeOptions options = TranscodeOptions.newBuilder().build();
    private Resources resources = Resources.newBuilder().timeout(Duration.ofHours(24)).build();
    private double chunkSeconds = DEFAULT_CHUNK_SECONDS;
    private boolean overwrite;
    private boolean resume;

    private Builder(String input, String output) {
      this.input = input;
      this.output = output;
    }

    public Builder options(TranscodeOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** What each chunk job asks for (the plan and join jobs take one core of it). */
    public Builder resources(Resources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /** About how long each chunk is; chunks start at keyframes. */
    public Builder chunkSeconds(double seconds) {
      this.chunkSeconds = seconds;
      return this;
    }

    /** Replace a file already at the output when the transcode succeeds. */
    public Builder overwrite(boolean overwrite) {
      this.overwrite = overwrite;
      return this;
    }

    /** Keep the chunks that an earlier run of the same transcode left in the work folder. */
    public Builder resume(boolean resume) {
      this.resume = resume;
      return this;
    }

    public ChunkedTranscode build() {
      return new ChunkedTranscode(this);
    }
  }
}
