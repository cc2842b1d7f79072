package io.spool.engine;

import io.spool.engine.internal.LongestFirst;
import io.spool.engine.internal.Refs;
import io.spool.media.BadArgumentException;
import io.spool.media.FileIdentity;
import io.spool.media.SpoolException;
import io.spool.media.TranscodeOptions;
import io.spool.media.Transcoder;
import io.spool.media.internal.AtomicOutput;
import io.spool.media.internal.ExitCleanup;
import io.spool.volumes.VolumePath;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A transcode batch with a results manifest: plans output names, skips what an earlier run
 * finished ({@code resume}), runs the rest on the engine, and writes one manifest line per item
 * as it ends, including {@code cancelled} lines when the process is interrupted.
 */
public final class TranscodeBatch {
  /** The manifest's file name inside a local output folder. */
  public static final String RESULTS_FILE = "spool-results.jsonl";

  /**
   * One item: input, output, its own options and resources, and whether a file already at its
   * output may be replaced ({@code overwrite}; otherwise the item fails with OUTPUT_EXISTS), or
   * only the one file {@code replaceOnly} (set by a resume that makes an output again in place).
   */
  public record Item(String input, String output, TranscodeOptions options, Resources resources, boolean overwrite,
      FileIdentity replaceOnly) {
    /** An item that, unless {@code overwrite}, fails rather than replace a file at its output. */
    public Item(String input, String output, TranscodeOptions options, Resources resources, boolean overwrite) {
      this(input, output, options, resources, overwrite, null);
    }

    /** This item with other input and output references (the same files, spelled otherwise). */
    public Item withPaths(String in, String out) {
      return new Item(in, out, options, resources, overwrite, replaceOnly);
    }

    Item withResources(Resources r) {
      return new Item(input, output, options, r, overwrite, replaceOnly);
    }

    /**
     * This item, made again in place of the file that was {@code judged} at its output (none:
     * there was no file, and one that appears is not replaced either). With {@code overwrite}
     * anything there is replaced, as the user asked.
     */
    Item madeAgainInPlaceOf(Optional<FileIdentity> judged) {
      return overwrite ? this : new Item(input, output, options, resources, false, judged.orElse(null));
    }

    JobSpec spec() {
      return replaceOnly == null ? TranscodeJob.spec(input, output, options, resources, overwrite)
          : TranscodeJob.specReplacing(input, output, options, resources, replaceOnly);
    }
  }

  private TranscodeBatch() {}

  /**
   * Output references for inputs, in {@code out} (a local folder or {@code VOLUME:folder}):
   * {@code NAME.PRESET.EXT}, with {@code -2}, {@code -3} added when names collide, in input order,
   * so the same inputs always get the same outputs.
   */
  public static String outputFor(String input, String out, TranscodeOptions options, Set<String> taken) {
    String name = input.contains("/") ? input.substring(input.lastIndexOf('/') + 1) : input;
    if (name.contains(":") && VolumePath.looksLike(input)) {
      name = VolumePath.parse(input).fileName();
    }
    String candidate = options.preset().outputName(name);
    for (int n = 2; taken.contains(candidate); n++) {
      candidate = options.preset().outputName(stemWithSuffix(name, n));
    }
    taken.add(candidate);
    return join(out, candidate);
  }

  private static String stemWithSuffix(String name, int n) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
  }

  private static String join(String folder, String name) {
    if (folder.endsWith("/") || folder.endsWith(":")) {
      return folder + name;
    }
    return folder + "/" + name;
  }

  /** Where the results manifest of a batch writing to {@code out} lives. */
  public static Path resultsFile(SpoolEngine engine, String out) {
    if (Refs.isVolume(out, engine.volumes())) {
      VolumePath vp = VolumePath.parse(out);
      Path base = engine.config().home().resolve("results").resolve(vp.volume());
      return (vp.path().isEmpty() ? base : base.resolve(vp.path())).resolve(RESULTS_FILE);
    }
    return Path.of(out).toAbsolutePath().resolve(RESULTS_FILE);
  }

  /** A started (or, when everything was already done, finished) batch run. */
  public static final class Run implements AutoCloseable {
    private final List<ResultsManifest.Line> skipped;
    private final BatchHandle handle;
    private final ResultsManifest manifest;
    private final Map<String, Item> byJob;
    private final Map<String, Double> workByJob;
    private final OptionalDouble totalWork;
    /** Jobs that have their line; also the lock that keeps writing lines and closing apart. */
    private final Set<String> written = new HashSet<>();
    private boolean closed; // guarded by written
    private final ExitCleanup.Registration onExit;

    private Run(List<ResultsManifest.Line> skipped, BatchHandle handle, ResultsManifest manifest, Map<String, Item> byJob,
        Map<String, Double> workByJob) {
      this.skipped = skipped;
      this.handle = handle;
      this.manifest = manifest;
      this.byJob = byJob;
      this.workByJob = workByJob;
      this.totalWork = handle == null || workByJob.size() < handle.jobIds().size() ? OptionalDouble.empty()
          : OptionalDouble.of(workByJob.values().stream().mapToDouble(Double::doubleValue).sum());
      this.onExit = ExitCleanup.register(ExitCleanup.Phase.RECORD_STATE, this::recordInterrupted);
    }

    /** Items an earlier run already finished; not run again. */
    public List<ResultsManifest.Line> skipped() {
      return skipped;
    }

    /** The engine batch, or null when there was nothing left to run. */
    public BatchHandle handle() {
      return handle;
    }

    public Path resultsFile() {
      return manifest.file();
    }

    /** The item a job of this run works on. */
    public Item itemOf(String jobId) {
      return byJob.get(jobId);
    }

    /**
     * How much work a job of this run is estimated to be ({@link Transcoder#estimatedWork}, a
     * relative figure), where its input's headers said.
     */
    public OptionalDouble workOf(String jobId) {
      Double w = workByJob.get(jobId);
      return w == null ? OptionalDouble.empty() : OptionalDouble.of(w);
    }

    /** The estimated work of all the jobs this run runs, where every input's headers said. */
    public OptionalDouble totalWork() {
      return totalWork;
    }

    /**
     * Consumes outcomes as they finish, writing each to the manifest before handing it on; returns
     * when the batch is over.
     */
    public BatchRecord drain(Consumer<JobOutcome> onEach) {
      if (handle == null) {
        return null;
      }
      handle.asCompleted().forEach(o -> {
        record(o);
        onEach.accept(o);
      });
      return handle.await();
    }

    private void record(JobOutcome o) {
      synchronized (written) {
        if (!closed && written.add(o.jobId())) {
          manifest.append(ResultsManifest.Line.of(o));
        }
      }
    }

    /**
     * At exit (Ctrl-C, SIGTERM): every item not yet written gets a cancelled line (the engine
     * records the jobs themselves as cancelled).
     */
    private void recordInterrupted() {
      synchronized (written) {
        if (handle == null || closed) {
          return;
        }
        Instant now = Instant.now();
        for (String id : handle.jobIds()) {
          if (written.add(id)) {
            handle.engine().store().job(id).ifPresent(r ->
                manifest.append(ResultsManifest.Line.of(r.outcome() != null ? r.outcome() : handle.interrupted(r, now))));
          }
        }
      }
    }

    /**
     * Leaves the batch to run without this process: it writes no results manifest (the job store
     * holds the outcomes), so the manifest file this run made for it is removed again.
     */
    public void detach() {
      if (handle != null) {
        handle.detach();
      }
      onExit.close();
      synchronized (written) {
        closed = true;
        manifest.closeUnused();
      }
    }

    /**
     * Closes the manifest. While the JVM is exiting, the command's thread may get here before the
     * exit cleanup has written the lines of the jobs cut short: it writes them itself then, and
     * the two never run at once (a closed manifest would lose the rest).
     */
    @Override
    public void close() {
      onExit.close();
      if (ExitCleanup.exiting()) {
        recordInterrupted();
      }
      synchronized (written) {
        closed = true;
        manifest.close();
      }
    }
  }

  /**
   * Starts a batch. No item may write another item's input or the same output as another item
   * (refused as a whole: nothing runs). With {@code resume}, items whose last manifest line says
   * succeeded and whose output passes the read-back check are skipped; an output of this batch
   * that fails it, or one that passes it but has no line (published by a run killed before it
   * wrote the line), is made again in its place, replacing only the very file judged (a file
   * another process publishes there meanwhile, or one that appears where there was none, makes
   * the item fail with OUTPUT_EXISTS instead); and temporary files that killed writers left are
   * removed first (those of processes still writing there are kept). Up to
   * {@link LongestFirst#MAX_PLANNED_BATCH} jobs start longest first, as far as the inputs' own
   * headers say how much work they are (MP4, MOV, Matroska and WebM files on this host; the others
   * start first, in the order given), and, with {@code shareCores} (cores not asked for, no
   * {@code concurrency}, no GPU) and every input's work known, the jobs that would run on at the
   * end while cores idle get more cores. Larger batches run in the order given.
   */
  public static Run start(SpoolEngine engine, List<Item> items, Path resultsFile, boolean resume, int concurrency,
      boolean shareCores) {
    if (items.isEmpty()) {
      throw new BadArgumentException("no inputs to transcode");
    }
    checkNoItemOverwritesAnother(engine, items);
    Map<String, ResultsManifest.Line> before = resume ? ResultsManifest.latestByInput(resultsFile) : Map.of();
    List<ResultsManifest.Line> skipped = new ArrayList<>();
    List<Item> todo = new ArrayList<>();
    Set<Path> folders = new HashSet<>();
    for (Item item : items) {
      ResultsManifest.Line done = before.get(item.input());
      boolean recorded = done != null && done.succeeded() && item.output().equals(done.output());
      // Which file is judged, taken first: a file published after this is never taken for it.
      Optional<FileIdentity> judged = resume ? judgedFile(engine, item) : Optional.empty();
      boolean complete = resume && complete(engine, item);
      if (recorded && complete) {
        skipped.add(done);
      } else {
        // Made again in place: an output this batch recorded that is not whole, or a whole
        // transcode of this very input that a killed run published without recording it. Only
        // the file judged here is replaced, not one another process publishes meanwhile.
        todo.add(recorded || complete ? item.madeAgainInPlaceOf(judged) : item);
        localFolder(engine, item.output()).ifPresent(folders::add);
      }
    }
    if (resume) {
      folders.forEach(AtomicOutput::removeAbandoned);
    }
    engine.requireService(); // before the results file: a batch that cannot start leaves none
    ResultsManifest manifest = ResultsManifest.open(resultsFile);
    if (todo.isEmpty()) {
      return new Run(skipped, null, manifest, Map.of(), Map.of());
    }
    Map<String, Double> workByInput = new HashMap<>();
    if (todo.size() <= LongestFirst.MAX_PLANNED_BATCH) {
      for (Item item : todo) {
        estimatedWork(engine, item.input()).ifPresent(w -> workByInput.put(item.input(), w));
      }
      // GPU jobs' speed is the GPU's; the plan's cores are for CPU encoders.
      boolean cpuOnly = todo.stream().allMatch(i -> i.resources().queue().equals(Resources.CPU_QUEUE));
      todo = longestFirst(engine, todo, workByInput, shareCores && concurrency <= 0 && cpuOnly);
    }
    List<JobSpec> specs = todo.stream().map(Item::spec).toList();
    BatchHandle handle = engine.submit(TranscodeJob.NAME, specs, concurrency);
    Map<String, Item> byJob = new HashMap<>();
    Map<String, Double> workByJob = new HashMap<>();
    for (int i = 0; i < todo.size(); i++) {
      String id = handle.jobIds().get(i);
      byJob.put(id, todo.get(i));
      Double w = workByInput.get(todo.get(i).input());
      if (w != null) {
        workByJob.put(id, w);
      }
    }
    return new Run(skipped, handle, manifest, byJob, workByJob);
  }

  /**
   * The work {@link Transcoder#estimatedWork} sees in an input that is a file on this host, or
   * none. Never throws: a reference that is no good fails its own job, not the batch.
   */
  private static OptionalDouble estimatedWork(SpoolEngine engine, String ref) {
    try {
      return localFile(engine, ref).map(Transcoder::estimatedWork).orElse(OptionalDouble.empty());
    } catch (SpoolException | InvalidPathException e) {
      return OptionalDouble.empty();
    }
  }

  /** The items in the order, and with the cores, that {@link LongestFirst} plans. */
  private static List<Item> longestFirst(SpoolEngine engine, List<Item> items, Map<String, Double> workByInput,
      boolean shareCores) {
    double[] work = new double[items.size()];
    int[] cores = new int[items.size()];
    for (int i = 0; i < items.size(); i++) {
      work[i] = workByInput.getOrDefault(items.get(i).input(), Double.POSITIVE_INFINITY);
      cores[i] = items.get(i).resources().cpu();
    }
    LongestFirst.Plan plan = LongestFirst.plan(work, cores, engine.config().cpuCores(), shareCores);
    List<Item> planned = new ArrayList<>(items.size());
    for (int i : plan.order()) {
      Item item = items.get(i);
      Resources r = item.resources();
      int c = plan.cores()[i];
      planned.add(c == r.cpu() ? item : item.withResources(r.toBuilder().cpu(c)
          .memoryMiB(r.memoryMiB() == Resources.defaultMemoryMiB(r.cpu()) ? null : r.memoryMiB()).build()));
    }
    return planned;
  }

  /**
   * Whether an item's output is there and whole: for files on this host, the read-back check a
   * transcode passes before it publishes; elsewhere, that it exists.
   */
  private static boolean complete(SpoolEngine engine, Item item) {
    if (!Refs.exists(item.output(), engine.volumes())) {
      return false;
    }
    Optional<Path> in = localFile(engine, item.input());
    Optional<Path> out = localFile(engine, item.output());
    if (in.isEmpty() || out.isEmpty()) {
      return true;
    }
    return Transcoder.using(engine.config().tools()).isComplete(in.get(), out.get(), item.options());
  }

  /**
   * The file at an item's output, as it is before a resume judges it; none when there is none, or
   * when it is not on this host (then nothing there is replaced).
   */
  private static Optional<FileIdentity> judgedFile(SpoolEngine engine, Item item) {
    try {
      return localFile(engine, item.output()).flatMap(FileIdentity::of);
    } catch (SpoolException | InvalidPathException e) {
      return Optional.empty(); // a reference that is no good fails its own job
    }
  }

  /**
   * Refuses a batch in which one item would replace another's input, or two items write the same
   * output: whichever ran second would destroy the other's file.
   */
  private static void checkNoItemOverwritesAnother(SpoolEngine engine, List<Item> items) {
    Map<String, Integer> inputs = new HashMap<>();
    Map<String, Integer> outputs = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      inputs.putIfAbsent(identity(engine, items.get(i).input()), i);
    }
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      String out = identity(engine, item.output());
      Integer reader = inputs.get(out);
      if (reader != null && reader != i) {
        throw new BadArgumentException(String.format(java.util.Locale.ROOT,
            "item %d writes %s, which item %d reads; give it another output (nothing was run)",
            i + 1, item.output(), reader + 1));
      }
      Integer writer = outputs.putIfAbsent(out, i);
      if (writer != null) {
        throw new BadArgumentException(String.format(java.util.Locale.ROOT,
            "items %d and %d both write %s; give one of them another output (nothing was run)",
            writer + 1, i + 1, item.output()));
      }
    }
  }

  /** One name per stored file: a volume path as the volume resolves it, a local path made absolute, links resolved. */
  private static String identity(SpoolEngine engine, String ref) {
    try {
      Optional<Path> local = localFile(engine, ref);
      if (local.isEmpty()) {
        return ref;
      }
      Path p = local.get().toAbsolutePath().normalize();
      Path parent = p.getParent();
      if (parent != null && java.nio.file.Files.isDirectory(parent)) {
        p = parent.toRealPath().resolve(p.getFileName());
      }
      return java.nio.file.Files.exists(p) ? p.toRealPath().toString() : p.toString();
    } catch (java.io.IOException | SpoolException | InvalidPathException e) {
      return ref; // a reference that is no good fails its own job
    }
  }

  private static Optional<Path> localFolder(SpoolEngine engine, String ref) {
    return localFile(engine, ref).map(f -> f.toAbsolutePath().getParent());
  }

  /** Where {@code ref} (a local file, or a file in a volume kept on this host) lies. */
  private static Optional<Path> localFile(SpoolEngine engine, String ref) {
    return Refs.localFile(ref, engine.volumes());
  }

}
