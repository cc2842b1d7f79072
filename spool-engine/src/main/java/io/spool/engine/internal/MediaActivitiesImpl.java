package io.spool.engine.internal;

import io.spool.engine.JobContext;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobResult;
import io.spool.engine.JobState;
import io.spool.engine.JobType;
import io.spool.engine.Resources;
import io.spool.media.BadArgumentException;
import io.spool.media.CancelledException;
import io.spool.media.ErrorCode;
import io.spool.media.Metrics;
import io.spool.media.Progress;
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
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
  private final boolean gpuEncode;
  private final CancelGate gate;

  public MediaActivitiesImpl(Map<String, JobType> types, Toolchain tools, VolumeStore volumes, Path scratchRoot,
      long minScratchBytes, int cores, boolean gpuEncode, CancelGate gate) {
    this.types = Map.copyOf(types);
    this.tools = tools;
    this.volumes = volumes;
    this.scratchRoot = scratchRoot;
    this.scratchStore = Scratch.storeOf(scratchRoot);
    this.minScratchBytes = minScratchBytes;
    this.cores = cores;
    this.cpu = new Semaphore(cores, true);
    this.gpuEncode = gpuEncode;
    this.gate = gate;
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
    Metrics before = activity.getHeartbeatDetails(HeartbeatDetails.class).map(HeartbeatDetails::spent).orElse(Metrics.ZERO);
    AttemptUsage usage = new AttemptUsage(before);
    Heartbeat beat = new Heartbeat(activity, request, attempt, Thread.currentThread(), before);
    try {
      JobOutcome outcome;
      try {
        if (!gate.begin(request.jobId(), beat)) {
          throw failure(new CancelledException("cancelled"), attempt, usage, beat, started);
        }
        outcome = attempt(request, attempt, started, beat, usage);
      } catch (ApplicationFailure f) {
        boolean last = f.isNonRetryable() || attempt > request.spec().resources().retries().maxRetries();
        if (gate.end(request.jobId(), request.batchId(), last)) {
          throw f;
        }
        beat.awaitTemporalCancel();
        throw ErrorCode.CANCELLED.name().equals(f.getType()) ? f
            : failure(new CancelledException("cancelled"), attempt, usage, beat, started);
      }
      if (!gate.end(request.jobId(), request.batchId(), true)) {
        // Cancelled after its work was done: the outcome stands, once the cancel cannot cross it.
        beat.awaitTemporalCancel();
      }
      return outcome;
    } finally {
      beat.stopTicking();
      Thread.interrupted();
    }
  }

  private JobOutcome attempt(JobRequest request, int attempt, Instant started, Heartbeat beat, AttemptUsage usage) {
    Resources res = request.spec().resources();
    JobType type = types.get(request.spec().type());
    if (type == null) {
      throw failure(new BadArgumentException("no job type named '" + request.spec().type() + "' on this worker"),
          attempt, usage, beat, started);
    }
    int permits = Math.min(res.cpu(), cores);
    try {
      acquire(permits, beat);
      Instant runStart = Instant.now();
      usage.start();
      beat.deadline(runStart, res.timeout());
      try (Scratch scratch = Scratch.create(scratchRoot, scratchStore, request.jobId() + "-a" + attempt, minScratchBytes)) {
        JobResult result = type.run(new Context(request, attempt, scratch.dir(), beat, usage.meter()), request.spec().params());
        return new JobOutcome(request.jobId(), request.batchId(), request.index(), request.spec().type(),
            request.spec().input(), request.spec().output(), JobState.SUCCEEDED, null, null, attempt, runStart,
            Instant.now(), usage.total(result.metrics()), result.mediaSeconds(), null, result.details(), java.util.List.of());
      } finally {
        cpu.release(permits);
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

  private void acquire(int permits, Heartbeat beat) throws InterruptedException {
    while (!cpu.tryAcquire(permits, 1, TimeUnit.SECONDS)) {
      beat.beat();
    }
  }

  /**
   * The Temporal failure for {@code e}, carrying what this and the earlier attempts used; the same
   * figure goes out in a last heartbeat, which Temporal hands to the next attempt, if any.
   */
  private static ApplicationFailure failure(SpoolException e, int attempt, AttemptUsage usage, Heartbeat beat,
      Instant started) {
    Metrics m = usage.total(Metrics.ZERO);
    beat.spent(m);
    FailureDetails d = new FailureDetails(e.code().name(), e.getMessage(), attempt, m, started.toString());
    return e.retryable()
        ? ApplicationFailure.newFailureWithCause(e.getMessage(), e.code().name(), null, d)
        : ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), e.code().name(), null, d);
  }

  /**
   * Heartbeats progress once a second from its own thread, and interrupts the job when Temporal
   * says it is cancelled or when its time is up; the interrupt ends ffmpeg.
   */
  private static final class Heartbeat implements CancelGate.Attempt {
    enum Ending { CANCELLED, TIMEOUT }

    private final ActivityExecutionContext activity;
    private final String jobId;
    private final String batchId;
    /** Counted down when Temporal says the attempt is cancelled. */
    private final CountDownLatch temporalCancel = new CountDownLatch(1);
    private final int attempt;
    private final Thread worker;
    private final AtomicReference<HeartbeatDetails> latest = new AtomicReference<>();
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private volatile Instant deadline;
    private volatile Duration timeout;
    private final Thread ticker;

    Heartbeat(ActivityExecutionContext activity, JobRequest request, int attempt, Thread worker, Metrics spentBefore) {
      this.activity = activity;
      this.jobId = request.jobId();
      this.batchId = request.batchId();
      this.attempt = attempt;
      this.worker = worker;
      latest.set(new HeartbeatDetails(jobId, attempt, 0, 0, -1, spentBefore));
      this.ticker = new Thread(this::tick, "spool-heartbeat-" + jobId);
      ticker.setDaemon(true);
      ticker.start();
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
          p.eta() == null ? -1 : p.eta().toMillis(), d.spent()));
    }

    /** Records, and heartbeats at once, what the job has used in all, as the attempt ends in failure. */
    void spent(Metrics total) {
      try {
        activity.heartbeat(latest.updateAndGet(d -> d.withSpent(total)));
      } catch (ActivityCompletionException e) {
        temporalCancel.countDown();
      }
    }

    Ending ended() {
      return ending.get();
    }

    void beat() {
      try {
        activity.heartbeat(latest.get());
      } catch (ActivityCompletionException e) {
        temporalCancel.countDown();
        end(Ending.CANCELLED);
      }
    }

    @Override
    public String batchId() {
      return batchId;
    }

    @Override
    public int number() {
      return attempt;
    }

    @Override
    public void stop() {
      end(Ending.CANCELLED);
    }

    /**
     * Waits until Temporal has told this attempt it is cancelled (the next heartbeat, a second
     * at most after the workflow asked), or {@link CancelGate#UNANSWERED} has passed.
     */
    void awaitTemporalCancel() {
      Thread.interrupted(); // the stop's own interrupt
      try {
        if (!temporalCancel.await(CancelGate.UNANSWERED.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("job {} was cancelled but Temporal did not say so within {} s", jobId, CancelGate.UNANSWERED.toSeconds());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the worker is shutting down
      }
    }

    private void end(Ending why) {
      if (ending.compareAndSet(null, why)) {
        worker.interrupt();
      }
    }

    private void tick() {
      try {
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
      if (why == Ending.CANCELLED) {
        return new CancelledException("cancelled; ffmpeg was ended");
      }
      return e;
    }

    void stopTicking() {
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
    private final Path scratch;
    private final Heartbeat beat;
    private final Toolchain meteredTools;

    Context(JobRequest request, int attempt, Path scratch, Heartbeat beat, UsageMeter meter) {
      this.request = request;
      this.attempt = attempt;
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

    @Override
    public boolean exists(String ref) {
      return Refs.exists(ref, volumes);
    }

    @Override
    public Volume.Write output(String ref) {
      return Refs.writable(ref, volumes, scratch);
    }

    @Override
    public void progress(Progress p) {
      beat.progress(p);
    }

    @Override
    public boolean gpuEncodeAvailable() {
      return gpuEncode;
    }
  }
}
