package io.spool.engine.internal;

/** The batch workflow's result; the outcomes themselves are in the job records. */
public record BatchTally(int succeeded, int failed, int cancelled) {}
