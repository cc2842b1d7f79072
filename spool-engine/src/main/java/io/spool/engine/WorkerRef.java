package io.spool.engine;

/**
 * The media worker that ran an attempt: its id (unique per worker process), host and process id.
 * It travels in Temporal heartbeats and failures, so a record names the worker even of an
 * attempt whose process was killed.
 */
public record WorkerRef(String id, String host, long pid) {
  public WorkerRef {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a worker has an id");
    }
    host = host == null ? "" : host;
  }

  @Override
  public String toString() {
    return id + " (pid " + pid + " on " + host + ")";
  }
}
