package io.spool.engine;

import io.spool.engine.internal.store.Database;
import io.spool.engine.internal.store.WebhookRows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Jobs' webhook deliveries in the job store: registered with the job, sent once it has ended,
 * every attempt recorded. Being in the store, a delivery outlives the process that was sending
 * it: whichever server reads {@link #takeDue} next sends it.
 */
public final class WebhookLog {
  private final Database db;

  WebhookLog(Database db) {
    this.db = db;
  }

  /** Registers a delivery to {@code url} for each job, sent once the job has ended. */
  public void add(List<String> jobIds, String url) {
    long now = System.currentTimeMillis();
    db.write(c -> {
      WebhookRows.add(c, jobIds, url, now);
      return null;
    });
  }

  /**
   * The deliveries due now, at most {@code max}, each held for the caller for {@code lease}: no
   * other process takes it meanwhile, and if the caller dies it is due again once the lease ends.
   */
  public List<WebhookDelivery> takeDue(int max, Duration lease) {
    long now = System.currentTimeMillis();
    return db.write(c -> WebhookRows.takeDue(c, db.forUpdate(), now, now + lease.toMillis(), max));
  }

  /**
   * Records an attempt, and that the delivery is now {@code state} (with its next attempt due
   * at {@code next} while it is pending); {@code body} is what every attempt sends.
   */
  public void record(String jobId, WebhookDelivery.Attempt attempt, String body, WebhookDelivery.State state, Instant next) {
    db.write(c -> {
      WebhookRows.record(c, jobId, attempt, body, state, next == null ? 0 : next.toEpochMilli());
      return null;
    });
  }

  /** A job's delivery with all its attempts, if it has one. */
  public Optional<WebhookDelivery> of(String jobId) {
    return Optional.ofNullable(db.read(c -> WebhookRows.of(c, jobId)));
  }
}
