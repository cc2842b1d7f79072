package io.spool.engine.internal;

import io.spool.engine.JobContext;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobResult;
import io.spool.engine.JobState;
import io.spool.engine.JobType;
import io.spool.engine.Resources;
import io.spool.engine.S3Input;
import io.spool.media.BadArgumentException;
import io.spool.media.CancelledException;
import io.spool.media.ErrorCode;
import io.spool.media.Metrics;
import io.spool.media.Input;
import io.spool.media.Progress;
import io.spool.media.RemoteFile;
import io.spool.media.SpoolException;
import io.spool.media.TimeoutExceededException;
import io.spool.media.Toolchain;
import io.spool.media.UsageMeter;
import io.spool.volumes.Volume;
import io.spool.volumes.VolumeStore;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import io.spool.engine.AttemptRecord;
import io.spool.engine.WorkerRef;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job attempt on this worker: waits for CPU capacity, prepares scratch, runs the job
 * type, heartbeats progress, enforces the timeout, ends ffmpeg on cancel, and turns failures into
 * Temporal failures that are retryable only when retrying can help.
 */
public final class MediaActivitiesImpl implements MediaActivities {
  private static final Logger LOG = LoggerFactory.getLogger(MediaActivitiesImpl.class);

  private final Map<String, JobType> types;
  private final Toolchain tools;
  private final VolumeStore volumes;
  private final Path scratchRoot;
  private final java.nio.file.FileStore scratchStore;
  private final long minScratchBytes;
  private final int cores;
  private final Semaphore cpu;
  /** Memory capacity in MiB, 0 when only cores count; and its permits. */
  private final int memoryMiB;
  private final Semaphore memory;
  private final boolean gpuEncode;
  private final S3Input s3Input;
  /** Whether this host's ffmpeg reads https URLs; asked once, when a job first wants to. */
  private volatile Boolean httpsInput;
  private final WorkerRef self;
  /** Asks the batch workflows whether a job was cancelled; null until the worker is connected. */
  private volatile WorkflowClient client;
  private final Set<Heartbeat> live = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;
  /**
   * The latest attempt begun here of each job, with when it began, so that a process that stops
   * can record how many attempts its interrupted jobs had; entries older than an hour
   * are forgotten as new ones come.
   */
  private final Map<String, long[]> begun = new ConcurrentHashMap<>();
  private static final long REMEMBER_NANOS = Duration.ofHours(1).toNanos();
  /** How much longer than the attempt's remaining time an input's presigned URL lasts. */
  private static final Duration URL_MARGIN = Duration.ofMinutes(15);
  /** The longest a presigned URL may last (SigV4's limit). */
  private static final Duration URL_MOST = Duration.ofDays(7);

  public MediaActivitiesImpl(Map<String, JobType> types, Toolchain tools, VolumeStore volumes, Path scratchRoot,
      long minScratchBytes, int cores, int memoryMiB, boolean gpuEncode, S3Input s3Input, WorkerRef self) {
    this.types = Map.copyOf(types);
    this.tools = tools;
    this.volumes = volumes;
    this.scratchRoot = scratchRoot;
    this.scratchStore = Scratch.storeOf(scratchRoot);
    int removed = Scratch.removeAbandoned(scratchRoot);
    if (removed > 0) {
      LOG.info("removed {} scratch folder(s) that killed workers left in {}", removed, scratchRoot);
    }
    this.minScratchBytes = minScratchBytes;
    this.cores = cores;
    this.cpu = new Semaphore(cores, true);
    this.memoryMiB = memoryMiB;
    this.memory = new Semaphore(Math.max(1, memoryMiB), true);
    this.gpuEncode = gpuEncode;
    this.s3Input = java.util.Objects.requireNonNull(s3Input, "s3Input");
    this.self = self;
  }

  /**
   * Whether this host's ffmpeg reads https URLs: a build without TLS cannot, and its jobs get copies
   * of their S3 inputs in scratch, as with {@link S3Input#COPY}.
   */
  private boolean ffmpegReadsHttps() {
    Boolean https = httpsInput;
    if (https == null) {
      https = RemoteFile.readableBy(tools);
      httpsInput = https;
      if (!https) {
        LOG.warn("this host's ffmpeg ({}) cannot read https URLs: jobs copy their S3 inputs into scratch", tools.ffmpeg());
      }
    }
    return https;
  }

  /** The client through which running attempts ask their workflow whether they were cancelled. */
  public void connect(WorkflowClient c) {
    this.client = c;
  }

  /** The latest attempt of a job begun on this worker within the last hour; 0 when none. */
  public int attemptsBegun(String jobId) {
    long[] v = begun.get(jobId);
    return v == null ? 0 : (int) v[0];
  }

  public WorkerRef self() {
    return self;
  }

  /** How many attempts have begun here and not yet returned (running, or waiting for capacity). */
  public int running() {
    return live.size();
  }

  /**
   * Ends every running attempt now (its ffmpeg ends); each fails as {@link ErrorCode#WORKER_STOPPED},
   * which Temporal retries on another worker.
   */
  public void stopAll() {
    stopping = true;
    live.forEach(b -> b.end(Heartbeat.Ending.STOPPED));
  }

  /**
   * Waits until no attempt on this worker is running its job (every attempt holds CPU permits
   * from before its scratch is made until after its processes have ended and its scratch is
   * removed), at most {@code limit}; true when none is left.
   */
  public boolean awaitIdle(Duration limit) {
    try {
      if (!cpu.tryAcquire(cores, limit.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
      cpu.release(cores);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public JobOutcome run(JobRequest request) {
    ActivityExecutionContext activity = Activity.getExecutionContext();
    int attempt = activity.getInfo().getAttempt();
    Instant started = Instant.now();
    Optional<HeartbeatDetails> before = activity.getHeartbeatDetails(HeartbeatDetails.class);
    AttemptUsage usage = new AttemptUsage(before.map(HeartbeatDetails::spent).orElse(Metrics.ZERO));
    List<AttemptRecord> log = new ArrayList<>();
    boolean lost = false;
    for (AttemptRecord a : before.map(HeartbeatDetails::attempts).orElse(List.of())) {
      // An earlier attempt that never said how it ended: its worker went silent (killed, or cut off).
      boolean silent = a.number() < attempt && a.endedAt() == null && a.errorCode() == null;
      lost |= silent;
      log.add(silent ? a.ended(null, ErrorCode.WORKER_LOST.name()) : a);
    }
    long ownSince = ownSince(request, attempt, log, activity.getInfo().getScheduledTimestamp());
    log.add(new AttemptRecord(attempt, self, started, null, null));
    long nanos = System.nanoTime();
    begun.values().removeIf(v -> nanos - v[1] > REMEMBER_NANOS);
    begun.put(request.jobId(), new long[] {attempt, nanos});
    Heartbeat beat = new Heartbeat(activity, request, attempt, Thread.currentThread(), usage, log);
    live.add(beat);
    try {
      if (stopping) {
        beat.end(Heartbeat.Ending.STOPPED);
      }
      if (lost) {
        removeAbandonedWrites(request);
      }
      JobOutcome o = attempt(request, attempt, ownSince, started, beat, usage);
      return o.withAttemptLog(beat.log(Instant.now(), null));
    } finally {
      live.remove(beat);
      beat.finish();
      beat.stopTicking();
    }
  }

  /**
   * Since when (epoch ms; 0: never) a file at the job's output is the job's own, which it may
   * replace: one that a run of this very job published but could not report, its coordinator
   * restarted (the request says when that run began) or its worker lost (killed, or stopped as it
   * reported) after the publish. From the second attempt on, that is whatever changed there since
   * the first attempt began, as the attempts handed on say (else since Temporal first scheduled
   * the job, which was earlier still).
   */
  static long ownSince(JobRequest request, int attempt, List<AttemptRecord> earlier, long firstScheduled) {
    long since = request.ownSince();
    if (attempt > 1) {
      long first = earlier.isEmpty() || earlier.get(0).startedAt() == null ? firstScheduled
          : earlier.get(0).startedAt().toEpochMilli();
      since = since > 0 ? Math.min(since, first) : first;
    }
    return Math.max(0, since);
  }

  /**
   * Removes what a killed earlier attempt left beside the job's output: its worker's death took
   * its ffmpeg along, but not the temporary file it was writing.
   */
  private void removeAbandonedWrites(JobRequest request) {
    String output = request.spec().output();
    if (output == null) {
      return;
    }
    try {
      int removed = Refs.removeAbandonedWrites(output, volumes.with(request.spec().s3Volumes()));
      if (removed > 0) {
        LOG.info("job {}: removed {} unfinished write(s) of {} left by a lost attempt", request.jobId(), removed, output);
      }
    } catch (SpoolException | java.nio.file.InvalidPathException e) {
      LOG.warn("job {}: could not remove what a lost attempt left beside {}: {}", request.jobId(), output, e.getMessage());
    }
  }

  private JobOutcome attempt(JobRequest request, int attempt, long ownSince, Instant started, Heartbeat beat,
      AttemptUsage usage) {
    Resources res = request.spec().resources();
    JobType type = types.get(request.spec().type());
    if (type == null) {
      throw failure(new BadArgumentException("no job type named '" + request.spec().type() + "' on this worker"),
          attempt, usage, beat, started);
    }
    int permits = Math.min(res.cpu(), cores);
    int mib = memoryMiB == 0 ? 0 : Math.min(res.memoryMiB(), memoryMiB);
    try {
      acquire(permits, mib, beat);
      Instant runStart = Instant.now();
      usage.start();
      beat.deadline(runStart, res.timeout());
      try (Scratch scratch = Scratch.create(scratchRoot, scratchStore, request.jobId(), attempt, minScratchBytes)) {
        JobResult result = type.run(new Context(request, attempt, ownSince, scratch.dir(), beat, usage.meter()),
            request.spec().params());
        return new JobOutcome(request.jobId(), request.batchId(), request.index(), request.spec().type(),
            request.spec().input(), request.spec().output(), JobState.SUCCEEDED, null, null, attempt, runStart,
            Instant.now(), usage.total(result.metrics()), result.mediaSeconds(), null, result.details(), java.util.List.of());
      } finally {
        cpu.release(permits);
        memory.release(mib);
      }
    } catch (SpoolException e) {
      throw failure(beat.translate(e), attempt, usage, beat, started);
    } catch (InterruptedException e) {
      throw failure(beat.translate(new CancelledException("interrupted while waiting for CPU capacity")),
          attempt, usage, beat, started);
    } catch (RuntimeException e) {
      if (beat.ended() != null) {
        throw failure(beat.translate(new CancelledException("cancelled")), attempt, usage, beat, started);
      }
      LOG.warn("job {} failed in its own code", request.jobId(), e);
      throw failure(new SpoolException(ErrorCode.JOB_FAILED, "job failed: " + e), attempt, usage, beat, started);
    }
  }

  /** Waits for cores and memory, in that order (every attempt takes them so: no deadlock). */
  private void acquire(int permits, int mib, Heartbeat beat) throws InterruptedException {
    while (!cpu.tryAcquire(permits, 1, TimeUnit.SECONDS)) {
      beat.beat();
    }
    try {
      while (!memory.tryAcquire(mib, 1, TimeUnit.SECONDS)) {
        beat.beat();
      }
    } catch (InterruptedException e) {
      cpu.release(permits);
      throw e;
    }
  }

  /**
   * The Temporal failure for {@code e}, carrying what this and the earlier attempts used and where
   * they ran; the same goes out in a last heartbeat, which Temporal hands to the next attempt, if any.
   */
  private static ApplicationFailure failure(SpoolException e, int attempt, AttemptUsage usage, Heartbeat beat,
      Instant started) {
    Metrics m = usage.total(Metrics.ZERO);
    List<AttemptRecord> log = beat.log(Instant.now(), e.code().name());
    beat.spent(m, log);
    FailureDetails d = new FailureDetails(e.code().name(), e.getMessage(), attempt, m, started.toString(), log);
    return e.retryable()
        ? ApplicationFailure.newFailureWithCause(e.getMessage(), e.code().name(), null, d)
        : ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), e.code().name(), null, d);
  }

  /**
   * Heartbeats progress once a second from its own thread, asks the job's workflow whether the job
   * was cancelled (at once, then with every heartbeat), and interrupts the job when it was, when
   * Temporal says the attempt is void, when its time is up or when the worker stops; the interrupt
   * ends ffmpeg.
   */
  private final class Heartbeat {
    enum Ending { CANCELLED, TIMEOUT, STOPPED }

    private final ActivityExecutionContext activity;
    private final String jobId;
    private final String workflowId;
    private final int attempt;
    private final Thread worker;
    private final AtomicReference<HeartbeatDetails> latest = new AtomicReference<>();
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private volatile Instant deadline;
    private volatile Duration timeout;
    private boolean finished; // guarded by this
    private final Thread ticker;
    private final Thread asker;

    Heartbeat(ActivityExecutionContext activity, JobRequest request, int attempt, Thread worker, AttemptUsage usage,
        List<AttemptRecord> log) {
      this.activity = activity;
      this.jobId = request.jobId();
      this.workflowId = activity.getInfo().getWorkflowId();
      this.attempt = attempt;
      this.worker = worker;
      latest.set(new HeartbeatDetails(jobId, attempt, 0, 0, -1, usage.total(Metrics.ZERO), log));
      this.ticker = new Thread(this::tick, "spool-heartbeat-" + jobId);
      ticker.setDaemon(true);
      ticker.start();
      this.asker = new Thread(this::ask, "spool-cancel-ask-" + jobId);
      asker.setDaemon(true);
      asker.start();
    }

    void deadline(Instant start, Duration limit) {
      this.timeout = limit;
      this.deadline = start.plus(limit);
    }

    Duration remaining() {
      Instant d = deadline;
      return d == null ? Duration.ofDays(1) : Duration.between(Instant.now(), d);
    }

    void progress(Progress p) {
      latest.updateAndGet(d -> new HeartbeatDetails(jobId, attempt, p.fraction(), p.speed(),
          p.eta() == null ? -1 : p.eta().toMillis(), d.spent(), d.attempts()));
    }

    /** Every attempt so far, this one ended at {@code at} with {@code code} (null: succeeded). */
    List<AttemptRecord> log(Instant at, String code) {
      List<AttemptRecord> log = new ArrayList<>(latest.get().attempts());
      int last = log.size() - 1;
      log.set(last, log.get(last).ended(at, code));
      return log;
    }

    /** Records, and heartbeats at once, what the job has used in all and its attempts, as the attempt fails. */
    void spent(Metrics total, List<AttemptRecord> log) {
      try {
        activity.heartbeat(latest.updateAndGet(d -> d.withSpent(total).withAttempts(log)));
      } catch (ActivityCompletionException e) {
        // void already: nothing more to hand on
      }
    }

    Ending ended() {
      return ending.get();
    }

    void beat() {
      try {
        activity.heartbeat(latest.get());
      } catch (ActivityCompletionException e) {
        end(Ending.CANCELLED); // the workflow is gone, or Temporal gave this attempt up
      }
    }

    /** Asks the job's workflow whether the job was cancelled; an unanswered question is asked again next time. */
    private void askCancelled() {
      WorkflowClient c = client;
      if (c == null || ending.get() != null) {
        return;
      }
      try {
        if (Boolean.TRUE.equals(c.newUntypedWorkflowStub(workflowId).query("cancelRequested", Boolean.class, jobId))) {
          end(Ending.CANCELLED);
        }
      } catch (RuntimeException e) {
        LOG.debug("could not ask workflow {} whether job {} was cancelled", workflowId, jobId, e);
      }
    }

    /**
     * Ends the attempt: interrupts its thread, unless the attempt has returned ({@link #finish}),
     * whose thread is reporting its end to Temporal by then (an interrupt would cut that report
     * off, and the attempt, its output perhaps published, would run again elsewhere).
     */
    synchronized void end(Ending why) {
      if (!finished && ending.compareAndSet(null, why)) {
        worker.interrupt();
      }
    }

    /** Called by the attempt's own thread as it returns: no interrupt reaches it from now on, and none is left set. */
    synchronized void finish() {
      finished = true;
      Thread.interrupted();
    }

    /**
     * Asks at once, then every second, on a thread of its own: a question the coordinator is slow
     * to answer must not hold up the heartbeats, or Temporal would give the attempt up.
     */
    private void ask() {
      try {
        while (!Thread.currentThread().isInterrupted() && ending.get() == null) {
          askCancelled();
          Thread.sleep(JobOptions.HEARTBEAT_INTERVAL.toMillis());
        }
      } catch (InterruptedException e) {
        // stopped
      }
    }

    private void tick() {
      try {
        // At once, not a second later: the next attempt learns of this one (its worker, its start)
        // from the last heartbeat, also when this worker is killed in its first second.
        beat();
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(JobOptions.HEARTBEAT_INTERVAL.toMillis());
          beat();
          Instant d = deadline;
          if (d != null && Instant.now().isAfter(d)) {
            end(Ending.TIMEOUT);
          }
        }
      } catch (InterruptedException e) {
        // stopped
      }
    }

    /** A failure caused by our own interrupt is reported as what it really was. */
    SpoolException translate(SpoolException e) {
      Ending why = ending.get();
      if (why == Ending.TIMEOUT && e.code() == ErrorCode.CANCELLED) {
        return new TimeoutExceededException("timed out after " + timeout.toMillis() / 1000.0 + " s; ffmpeg was ended");
      }
      if (why == Ending.STOPPED) {
        return new SpoolException(ErrorCode.WORKER_STOPPED,
            "the worker was stopped before the job finished (ffmpeg was ended); another worker runs it again");
      }
      if (why == Ending.CANCELLED) {
        return new CancelledException("cancelled; ffmpeg was ended");
      }
      return e;
    }

    void stopTicking() {
      asker.interrupt();
      ticker.interrupt();
      try {
        ticker.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final class Context implements JobContext {
    private final JobRequest request;
    private final int attempt;
    private final long ownSince;
    private final Path scratch;
    private final Heartbeat beat;
    private final Toolchain meteredTools;
    /** This worker's volumes, with those the job carries in front. */
    private final VolumeStore volumes;

    Context(JobRequest request, int attempt, long ownSince, Path scratch, Heartbeat beat, UsageMeter meter) {
      this.request = request;
      this.volumes = MediaActivitiesImpl.this.volumes.with(request.spec().s3Volumes());
      this.attempt = attempt;
      this.ownSince = ownSince;
      this.scratch = scratch;
      this.beat = beat;
      this.meteredTools = tools.metered(meter);
    }

    @Override
    public String jobId() {
      return request.jobId();
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public Resources resources() {
      return request.spec().resources();
    }

    @Override
    public Toolchain tools() {
      return meteredTools;
    }

    @Override
    public Path scratch() {
      return scratch;
    }

    @Override
    public Duration remaining() {
      Duration d = beat.remaining();
      if (d.isNegative() || d.isZero()) {
        throw new TimeoutExceededException("timed out before the job could continue");
      }
      return d;
    }

    @Override
    public Path input(String ref) {
      return Refs.readable(ref, volumes, scratch);
    }

    /**
     * {@inheritDoc} The URL is signed for what is left of the attempt's time and a margin, so
     * that a job that runs to its timeout still reads its input; it never outlives what S3 allows.
     */
    @Override
    public Input streamedInput(String ref) {
      // A reference that lies on this host (a local path or volume) is read where it is anyway.
      if (s3Input == S3Input.URL && Refs.localFile(ref, volumes).isEmpty() && ffmpegReadsHttps()) {
        Duration expiry = remaining().plus(URL_MARGIN);
        Optional<RemoteFile> remote = Refs.remote(ref, volumes, expiry.compareTo(URL_MOST) > 0 ? URL_MOST : expiry);
        if (remote.isPresent()) {
          return Input.of(remote.get());
        }
      }
      return Input.of(input(ref));
    }

    @Override
    public boolean exists(String ref) {
      return Refs.exists(ref, volumes);
    }

    @Override
    public boolean publishedByThisJob(String ref) {
      return ownSince > 0 && Refs.modifiedSince(ref, volumes, ownSince);
    }

    @Override
    public boolean remove(String ref) {
      return Refs.remove(ref, volumes);
    }

    @Override
    public java.util.Optional<Path> localFile(String ref) {
      return Refs.localFile(ref, volumes);
    }

    @Override
    public Volume.Write output(String ref) {
      return Refs.writable(ref, volumes, scratch);
    }

    @Override
    public Volume.Write outputFolder(String ref) {
      return Refs.writableFolder(ref, volumes, scratch);
    }

    @Override
    public void progress(Progress p) {
      beat.progress(p);
    }

    /**
     * Only a job that came from the gpu queue may use this host's encoder: its record says so and
     * it is priced as a GPU job. A GPU job that its submitter sent to the cpu queue (no live GPU
     * worker was recorded) is recorded and priced as a CPU job, so it encodes on the CPU wherever
     * it lands, noting the fallback.
     */
    @Override
    public boolean gpuEncodeAvailable() {
      return gpuEncode && request.spec().resources().queue().equals(Resources.GPU_QUEUE);
    }
  }
}
