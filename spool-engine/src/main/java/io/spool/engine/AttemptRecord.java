package io.spool.engine;

import java.time.Instant;

/**
 * One attempt of a job: which worker ran it, when, and how it ended.
 *
 * @param number 1 for the first attempt
 * @param endedAt null when the attempt's worker went silent (killed, or cut off) before it could say
 * @param errorCode how it failed ({@link io.spool.media.ErrorCode} name), null when it succeeded
 *     or never reported
 */
public record AttemptRecord(int number, WorkerRef worker, Instant startedAt, Instant endedAt, String errorCode) {
  /** This attempt, ended as given. */
  public AttemptRecord ended(Instant at, String code) {
    return new AttemptRecord(number, worker, startedAt, at, code);
  }
}
