package io.spool.volumes;

import io.spool.media.CancelledException;
import io.spool.media.EnvironmentException;
import io.spool.media.ErrorCode;
import io.spool.media.InputNotFoundException;
import io.spool.media.SpoolException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one place where failures of the S3 client become Spool's: a missing object is a missing
 * input; a missing bucket, refused credentials or a request the service rejects are this host's
 * setup (retrying cannot fix them); a service that cannot be reached or answers with a server
 * error is an I/O failure that a retry may get past.
 */
final class S3Failures {
  private static final Set<String> DENIED = Set.of("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
      "InvalidToken", "ExpiredToken", "InvalidSecurity", "AccountProblem", "AllAccessDisabled");

  private final String volume;
  private final S3Location location;

  S3Failures(String volume, S3Location location) {
    this.volume = volume;
    this.location = location;
  }

  /**
   * The Spool failure for {@code e}, raised while doing {@code what} (e.g. "read media:a.mp4").
   * {@code bucketExists} is asked for a 404 that does not say NoSuchBucket: a HEAD's does not say
   * whether the key or the bucket is missing.
   */
  SpoolException translate(SdkException e, String what, String path, java.util.function.BooleanSupplier bucketExists) {
    if (e instanceof AbortedException) {
      Thread.currentThread().interrupt();
      return new CancelledException("cancelled: " + what, List.of(), e);
    }
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      int status = s3.statusCode();
      // A 404 to a HEAD carries no body, and the SDK may name it NoSuchKey whichever is missing: every
      // 404 asks whether the bucket is there (one request more, on a failing path only).
      if ("NoSuchBucket".equals(code) || status == 404 && !bucketExists.getAsBoolean()) {
        return new EnvironmentException("cannot " + what + ": bucket " + location.bucket() + " does not exist"
            + at() + " (volume " + volume + ")", List.of(), e);
      }
      if (status == 404) {
        return new InputNotFoundException("not found in volume " + volume + ": " + path + " (" + location.url(path) + ")");
      }
      if (status == 403 || code != null && DENIED.contains(code)) {
        return new EnvironmentException("cannot " + what + ": S3 denied access to " + location.url(path) + at()
            + " (" + (code == null ? "403" : code) + "); check the AWS credentials of this host", List.of(), e);
      }
      if (status == 412) {
        return new SpoolException(ErrorCode.IO_ERROR, "cannot " + what + ": " + location.url(path)
            + " changed while being read", List.of(), e);
      }
      if (status >= 500 || status == 429 || status == 408) {
        return new SpoolException(ErrorCode.IO_ERROR, "cannot " + what + ": S3" + at() + " answered " + status
            + (code == null ? "" : " " + code), List.of(), e);
      }
      String why = firstLine(s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorMessage());
      return new EnvironmentException("cannot " + what + ": S3" + at() + " refused the request with " + status
          + (code == null ? "" : " " + code) + (why.isBlank() ? "" : ": " + why), List.of(), e);
    }
    if (e instanceof SdkClientException && isMissingCredentials(e)) {
      return new EnvironmentException("cannot " + what + ": no AWS credentials found (set AWS_ACCESS_KEY_ID and "
          + "AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws)", List.of(), e);
    }
    Throwable io = ioCause(e);
    return new SpoolException(ErrorCode.IO_ERROR, "cannot " + what + ": S3" + at() + " cannot be reached: "
        + (io == null ? firstLine(e.getMessage()) : io.getClass().getSimpleName() + " " + firstLine(io.getMessage())),
        List.of(), e);
  }

  /** An I/O failure while streaming an object's content, after the service answered. */
  SpoolException io(String what, IOException e) {
    return new SpoolException(ErrorCode.IO_ERROR, "cannot " + what + ": " + e.getMessage(), List.of(), e);
  }

  private String at() {
    return location.endpoint() == null ? "" : " at " + location.endpoint();
  }

  private static boolean isMissingCredentials(Throwable e) {
    String m = e.getMessage();
    return m != null && m.contains("Unable to load credentials");
  }

  private static Throwable ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return t;
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
