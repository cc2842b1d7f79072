package io.spool.engine;

import java.util.Map;

/**
 * A kind of job: transcode, thumbnails, or your own. Register extra types with
 * {@link EngineConfig.Builder#jobType(JobType)}. {@link #run} executes on a worker; it must read
 * and write media through the {@link JobContext} (scratch space, inputs, atomic outputs) and
 * report progress there, so that cancel, timeout and retries work.
 */
public interface JobType {
  /** The name jobs refer to, e.g. {@code transcode}. */
  String name();

  /**
   * Runs one attempt.
   *
   * @throws io.spool.media.SpoolException classified failures; non-retryable codes stop retries
   */
  JobResult run(JobContext context, Map<String, Object> params);
}
