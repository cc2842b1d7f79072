package io.spool.engine.internal;

import io.spool.media.Metrics;

/** Carried in a failed attempt's Temporal failure, so the record knows what happened. */
public record FailureDetails(String code, String message, int attempt, Metrics metrics, String startedAt) {}
