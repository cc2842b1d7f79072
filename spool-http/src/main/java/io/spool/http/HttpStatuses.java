package io.spool.http;

import io.spool.media.ErrorCode;

/**
 * The one mapping from failures to HTTP statuses. Every error answer is JSON,
 * {@code {"error": {"code": ..., "message": ..., "retryable": ...}}}, whose {@code code} is an
 * {@link ErrorCode} name (as the CLI prints it) or, for what only HTTP refuses, a
 * {@link Refusal} name.
 *
 * <table>
 *   <caption>ErrorCode to status</caption>
 *   <tr><td>BAD_ARGUMENT</td><td>400</td></tr>
 *   <tr><td>OUTPUT_EXISTS</td><td>409</td></tr>
 *   <tr><td>INVALID_INPUT, INPUT_NOT_FOUND, MEMORY_LIMIT</td><td>422</td></tr>
 *   <tr><td>ENVIRONMENT, CANCELLED, WORKER_STOPPED</td><td>503</td></tr>
 *   <tr><td>TIMEOUT</td><td>504</td></tr>
 *   <tr><td>the others</td><td>500</td></tr>
 * </table>
 */
public final class HttpStatuses {
  private HttpStatuses() {}

  /** What only the HTTP layer refuses, with its status. */
  public enum Refusal {
    /** No valid bearer token. */
    UNAUTHORIZED(401),
    /** No such job, batch, output, file or route. */
    NOT_FOUND(404),
    /** The route exists, not with this method. */
    METHOD_NOT_ALLOWED(405),
    /** The same Idempotency-Key with another request, or while its first request is still being answered. */
    CONFLICT(409),
    /** The upload passed the server's size limit (--max-upload-size). */
    TOO_LARGE(413),
    /** A body of a kind the route does not take. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** The Idempotency-Key was used before for a different request. */
    KEY_REUSED(422),
    /** The range asked for lies outside the file. */
    RANGE_NOT_SATISFIABLE(416),
    /** No resumable upload with that id: never made, terminated, or expired unfinished. */
    UPLOAD_NOT_FOUND(404),
    /** The resumable upload named as a job's input has not received all its bytes yet. */
    UPLOAD_UNFINISHED(400),
    /** A tus PATCH whose Upload-Offset is not the upload's offset (HEAD tells where to resume). */
    OFFSET_MISMATCH(409),
    /** A tus request without {@code Tus-Resumable: 1.0.0}; the answer's Tus-Version lists what is served. */
    TUS_VERSION_UNSUPPORTED(412),
    /** As many jobs wait as the server takes (--max-queued); try again after Retry-After seconds. */
    QUEUE_FULL(429);

    private final int status;

    Refusal(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** The status of an answer that reports a failure with {@code code}. */
  public static int of(ErrorCode code) {
    return switch (code) {
      case BAD_ARGUMENT -> 400;
      case OUTPUT_EXISTS -> 409;
      case INVALID_INPUT, INPUT_NOT_FOUND, MEMORY_LIMIT -> 422;
      case ENVIRONMENT, CANCELLED, WORKER_STOPPED -> 503;
      case TIMEOUT -> 504;
      case OUT_OF_MEMORY, FFMPEG_FAILED, OUTPUT_NOT_WRITABLE, WORKER_LOST, BATCH_FAILED, IO_ERROR, JOB_FAILED, RECORD_DAMAGED,
          INTERNAL -> 500;
    };
  }
}
