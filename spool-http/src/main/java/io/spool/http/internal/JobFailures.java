package io.spool.http.internal;

import io.spool.engine.JobOutcome;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.util.Arrays;
import java.util.Locale;

/** A job that ended without success, as a failure with its own code (and so its own status). */
final class JobFailures {
  private JobFailures() {}

  static SpoolException of(JobOutcome o) {
    ErrorCode code = codeOf(o.errorCode());
    String message = o.error() == null ? "the job " + o.state().name().toLowerCase(Locale.ROOT) : o.error();
    return new SpoolException(code, "job " + o.jobId() + ": " + message
        + (o.attempts() > 1 ? " (after " + o.attempts() + " attempts)" : ""));
  }

  static ErrorCode codeOf(String name) {
    return Arrays.stream(ErrorCode.values()).filter(c -> c.name().equals(name)).findFirst().orElse(ErrorCode.JOB_FAILED);
  }
}
