package io.spool.engine.internal;

import io.spool.engine.BatchRecord;
import io.spool.engine.JobCost;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.media.ErrorCode;
import io.spool.media.PriceTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Reads and writes job records as the batch workflow goes. */
public final class RecordActivitiesImpl implements RecordActivities {
  private final JobStore store;
  private final PriceTable prices;

  public RecordActivitiesImpl(JobStore store, PriceTable prices) {
    this.store = store;
    this.prices = prices;
  }

  @Override
  public List<JobRequest> load(String batchId, int from, int to, boolean restarted) {
    List<JobRequest> todo = new ArrayList<>();
    for (JobRecord r : store.jobsOfBatch(batchId, from, to)) {
      if (!r.state().terminal()) {
        long own = restarted && r.startedAt() != null ? r.startedAt().toEpochMilli() : 0;
        todo.add(new JobRequest(r.id(), batchId, r.index(), r.spec(), own));
      }
    }
    return todo;
  }

  @Override
  public void started(List<String> jobIds, long startedAtMillis) {
    Instant at = Instant.ofEpochMilli(startedAtMillis);
    Map<String, UnaryOperator<JobRecord>> changes = new LinkedHashMap<>();
    for (String id : jobIds) {
      changes.put(id, r -> r.state().terminal() ? r : r.withState(JobState.RUNNING, at));
    }
    store.updateEach(changes);
  }

  @Override
  public void finished(List<JobOutcome> outcomes) {
    Map<String, UnaryOperator<JobRecord>> changes = new LinkedHashMap<>();
    for (JobOutcome o : outcomes) {
      changes.put(o.jobId(), r -> r.withOutcome(o.withCost(JobCost.of(r.resources(), o.metrics(), prices))));
    }
    store.updateEach(changes);
  }

  @Override
  public BatchTally close(String batchId, int from, int to, String state, String code, String why) {
    Instant now = Instant.now();
    JobState s = JobState.valueOf(state);
    Map<String, UnaryOperator<JobRecord>> changes = new LinkedHashMap<>();
    int closed = 0;
    for (JobRecord r : store.jobsOfBatch(batchId, from, to)) {
      if (!r.state().terminal()) {
        changes.put(r.id(), x -> x.state().terminal() ? x : x.withOutcome(x.endedBefore(s, code, why, now)));
        closed++;
      }
    }
    store.updateEach(changes);
    return new BatchTally(0, s == JobState.FAILED ? closed : 0, s == JobState.CANCELLED ? closed : 0);
  }

  @Override
  public void batchEnded(String batchId) {
    BatchRecord b = store.batch(batchId).orElse(null);
    if (b == null || b.state().terminal()) {
      return;
    }
    Map<JobState, Integer> tally = store.tally(batchId);
    JobCost cost = JobCost.ZERO;
    int n = b.jobIds().size();
    for (int from = 0; from < n; from += 1000) {
      for (JobRecord r : store.jobsOfBatch(batchId, from, Math.min(n, from + 1000))) {
        if (r.outcome() != null) {
          cost = cost.plus(r.outcome().cost());
        }
      }
    }
    int ok = tally.getOrDefault(JobState.SUCCEEDED, 0);
    int failed = tally.getOrDefault(JobState.FAILED, 0);
    int stopped = tally.getOrDefault(JobState.CANCELLED, 0);
    JobState state = failed > 0 ? JobState.FAILED : stopped > 0 ? JobState.CANCELLED : JobState.SUCCEEDED;
    store.putBatch(b.ended(state, Instant.now(), ok, failed, stopped, cost));
  }

  @Override
  public void batchFailed(String batchId, String why) {
    store.failBatch(batchId, ErrorCode.BATCH_FAILED, why);
  }
}
