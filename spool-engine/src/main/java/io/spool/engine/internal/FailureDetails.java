package io.spool.engine.internal;

import io.spool.engine.AttemptRecord;
import io.spool.media.Metrics;
import java.util.List;

/** Carried in a failed attempt's Temporal failure, so the record knows what happened and where. */
public record FailureDetails(String code, String message, int attempt, Metrics metrics, String startedAt,
    List<AttemptRecord> attempts) {
  public FailureDetails {
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }
}
