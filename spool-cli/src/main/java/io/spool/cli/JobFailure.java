package io.spool.cli;

import io.spool.engine.JobOutcome;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.util.Arrays;

/** A job that ended without success, reported like any other failure: one line, its code, its exit code. */
final class JobFailure extends SpoolException {
  private static final long serialVersionUID = 1L;

  private final String jobId;
  private final int attempts;

  private JobFailure(ErrorCode code, String message, String jobId, int attempts) {
    super(code, message);
    this.jobId = jobId;
    this.attempts = attempts;
  }

  static JobFailure of(JobOutcome o) {
    ErrorCode code = Arrays.stream(ErrorCode.values()).filter(c -> c.name().equals(o.errorCode())).findFirst()
        .orElse(ErrorCode.JOB_FAILED);
    String message = o.error() == null ? "the job " + o.state().name().toLowerCase(java.util.Locale.ROOT) : o.error();
    return new JobFailure(code, o.attempts() > 1 ? message + " (after " + o.attempts() + " attempts)" : message,
        o.jobId(), o.attempts());
  }

  String jobId() {
    return jobId;
  }

  int attempts() {
    return attempts;
  }
}
