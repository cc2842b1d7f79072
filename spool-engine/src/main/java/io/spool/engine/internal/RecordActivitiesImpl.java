package io.spool.engine.internal;

import io.spool.engine.JobOutcome;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.engine.JobCost;
import io.spool.engine.Resources;
import io.spool.media.PriceTable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Writes job records as the batch workflow reports changes. */
public final class RecordActivitiesImpl implements RecordActivities {
  private final JobStore store;
  private final PriceTable prices;

  public RecordActivitiesImpl(JobStore store, PriceTable prices) {
    this.store = store;
    this.prices = prices;
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
    for (JobOutcome outcome : outcomes) {
      changes.put(outcome.jobId(), r -> r.withOutcome(priced(outcome, r.resources())));
    }
    store.updateEach(changes);
  }

  /** Prices the measured usage where the price table lives: in the coordinating process. */
  private JobOutcome priced(JobOutcome o, Resources resources) {
    JobCost cost = JobCost.of(resources, o.metrics(), prices);
    return o.withCost(cost);
  }
}
