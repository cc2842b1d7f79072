package io.spool.engine.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts a cancel and the end of the job it targets in one order, on the engine that runs both.
 *
 * <p>Temporal's in-process service refuses a workflow task that cancels an activity which
 * completed while that task was being worked on, and the workflow never gets another task
 * (temporalio/sdk-java#2391; a full Temporal server accepts it). With jobs ending every few
 * milliseconds, any cancel of a batch could hit that. So a cancel is asked for here first:
 * <ul>
 *   <li>a job whose attempt is already handing in its final outcome is not cancelled at all (the
 *       workflow gets that outcome instead);
 *   <li>any other job is marked: its running attempt is stopped at once (ffmpeg ends), and no attempt
 *       of it hands in an outcome until Temporal has delivered the workflow's cancel to it (or
 *       {@link #UNANSWERED} has passed), so the workflow's cancel never meets a finished activity.
 * </ul>
 * A job is let go with {@link #settled} once its outcome is recorded, a batch with {@link #forget}
 * when it ends.
 */
public final class CancelGate {
  /** How long an attempt of a cancelled job waits for Temporal's cancel before it ends anyway. */
  public static final java.time.Duration UNANSWERED = java.time.Duration.ofSeconds(30);

  private final Set<String> cancelledJobs = new HashSet<>();
  private final Set<String> cancelledBatches = new HashSet<>();
  /** Running attempts: job id to the attempt, which stops when told. */
  private final Map<String, Attempt> running = new HashMap<>();
  /**
   * Jobs whose last attempt is handing in its outcome, with their batch, until the workflow has
   * recorded it ({@link #settled}): a handful at a time, however large the batch.
   */
  private final Map<String, String> ending = new HashMap<>();
  /** The number of the latest attempt begun, for jobs not yet settled. */
  private final Map<String, Integer> attempts = new HashMap<>();

  /** An attempt on this engine's worker. */
  public interface Attempt {
    String batchId();

    /** Which attempt of its job this is, from 1. */
    int number();

    /** Ends the attempt's work now (its processes end); its outcome follows. */
    void stop();
  }

  /**
   * Cancels one job unless its outcome is already on its way; true when the workflow should be
   * told to cancel it.
   */
  public synchronized boolean cancel(String jobId) {
    if (ending.containsKey(jobId)) {
      return false;
    }
    cancelledJobs.add(jobId);
    Attempt a = running.get(jobId);
    if (a != null) {
      a.stop();
    }
    return true;
  }

  /**
   * Cancels every job of a batch; returns those whose outcome was already on its way, which the
   * workflow must leave alone.
   */
  public synchronized List<String> cancelBatch(String batchId) {
    cancelledBatches.add(batchId);
    running.values().stream().filter(a -> a.batchId().equals(batchId)).forEach(Attempt::stop);
    return ending.entrySet().stream().filter(e -> e.getValue().equals(batchId)).map(Map.Entry::getKey).sorted().toList();
  }

  /** An attempt begins; false when its job is cancelled already (it must not start work). */
  public synchronized boolean begin(String jobId, Attempt attempt) {
    if (isCancelled(jobId, attempt.batchId())) {
      return false;
    }
    running.put(jobId, attempt);
    attempts.merge(jobId, attempt.number(), Math::max);
    return true;
  }

  /** How many attempts of a job not yet settled have begun on this engine (0 when none). */
  public synchronized int attempts(String jobId) {
    return attempts.getOrDefault(jobId, 0);
  }

  /**
   * An attempt is about to hand in its outcome; {@code last} when Temporal will not retry it.
   * False when its job was cancelled: the attempt must then wait for Temporal's cancel first.
   */
  public synchronized boolean end(String jobId, String batchId, boolean last) {
    running.remove(jobId);
    if (isCancelled(jobId, batchId)) {
      return false;
    }
    if (last) {
      ending.put(jobId, batchId);
    }
    return true;
  }

  /** The workflow has recorded the job's outcome: no cancel of it can reach Temporal any more. */
  public synchronized void settled(String jobId) {
    ending.remove(jobId);
    attempts.remove(jobId);
  }

  /** The batch has ended: nothing of it is remembered any longer. */
  public synchronized void forget(String batchId, List<String> jobIds) {
    cancelledBatches.remove(batchId);
    jobIds.forEach(cancelledJobs::remove);
    jobIds.forEach(attempts::remove);
    ending.values().removeIf(batchId::equals);
  }

  private boolean isCancelled(String jobId, String batchId) {
    return cancelledJobs.contains(jobId) || cancelledBatches.contains(batchId);
  }
}
