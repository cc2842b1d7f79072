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

  /** This process as a worker, its id made of {@code prefix} and a random part. */
  public static WorkerRef thisProcess(String prefix) {
    String id = prefix + "-" + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 30, 1L << 35), 36);
    return new WorkerRef(id, hostName(), ProcessHandle.current().pid());
  }

  /** This host's name, read directly (Java's own lookup can be slow to start). */
  static String hostName() {
    String host;
    try {
      host = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (java.io.IOException | RuntimeException e) {
      host = "";
    }
    return host.isEmpty() ? System.getenv().getOrDefault("HOSTNAME", "localhost") : host;
  }

  /** How Temporal names this worker ({@code id pid@host}): what a running job's progress reports. */
  public String identity() {
    return id + " " + pid + "@" + host;
  }

  /** The worker a Temporal identity made by {@link #identity()} names, if it is one. */
  public static java.util.Optional<WorkerRef> fromIdentity(String identity) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\S+) (\\d+)@(\\S*)").matcher(identity == null ? "" : identity);
    return m.matches() ? java.util.Optional.of(new WorkerRef(m.group(1), m.group(3), Long.parseLong(m.group(2))))
        : java.util.Optional.empty();
  }

  @Override
  public String toString() {
    return id + " (pid " + pid + " on " + host + ")";
  }
}
