package io.spool.engine.internal;

import io.spool.engine.JobOutcome;
import io.spool.engine.JobState;
import io.spool.engine.JobStore;
import io.spool.engine.JobCost;
import io.spool.engine.Resources;
import io.spool.media.PriceTable;
import java.time.Instant;
import java.util.List;

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
    for (String id : jobIds) {
      store.update(id, r -> r.state().terminal() ? r : r.withState(JobState.RUNNING, at));
    }
  }

  @Override
  public void finished(List<JobOutcome> outcomes) {
    for (JobOutcome outcome : outcomes) {
      store.update(outcome.jobId(), r -> r.withOutcome(priced(outcome, r.resources())));
    }
  }

  /** Prices the measured usage where the price table lives: in the coordinating process. */
  private JobOutcome priced(JobOutcome o, Resources resources) {
    JobCost cost = JobCost.of(resources, o.metrics(), prices);
    return o.withCost(cost);
  }
}
