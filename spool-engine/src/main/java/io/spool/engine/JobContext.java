package io.spool.engine;

import io.spool.media.Progress;
import io.spool.media.Toolchain;
import io.spool.volumes.Volume;
import java.nio.file.Path;
import java.time.Duration;

/** What a running job may use: its allowance, scratch space, inputs, outputs and progress. */
public interface JobContext {
  String jobId();

  /** 1 for the first attempt. */
  int attempt();

  Resources resources();

  /** The memory the job's resources allow, in bytes: what a media run is limited to. */
  default long memoryLimitBytes() {
    return (long) resources().memoryMiB() << 20;
  }

  Toolchain tools();

  /** A private folder for this attempt, removed afterwards whatever happens. */
  Path scratch();

  /** Time left before this attempt's timeout. */
  Duration remaining();

  /** A local file for an input reference: a local path or {@code VOLUME:path}. */
  Path input(String ref);

  /**
   * What ffmpeg reads for an input reference, for an operation that reads the input once, from
   * start to end, with ffprobe then ffmpeg (a transcode, an HLS ladder, an audio extraction): a
   * file in an S3 volume as a presigned URL that lasts the attempt's remaining time and more
   * ({@link S3Input#URL}, the default), else the local file {@link #input} gives. Operations that read their input several
   * times or seek about in it (chunked transcodes, thumbnails, two-pass loudness normalization,
   * quality measurement) take {@link #input}: each reading over the network would download again
   * what one copy downloads once.
   */
  default io.spool.media.Input streamedInput(String ref) {
    return io.spool.media.Input.of(input(ref));
  }

  /**
   * Starts an output for a reference (local path or {@code VOLUME:path}): write to
   * {@link Volume.Write#file()}, then commit; closing uncommitted discards it.
   */
  Volume.Write output(String ref);

  /**
   * Starts an output folder for a reference (a local path, or {@code VOLUME:path} in a volume kept
   * on this host): write files into the folder {@link Volume.Write#file()}, then commit; the folder
   * appears whole, and closing uncommitted discards it.
   */
  Volume.Write outputFolder(String ref);

  /**
   * Whether something is stored at a reference (a local path, a link included, or
   * {@code VOLUME:path}; a file or a folder): an output that exists is replaced only when the job
   * was told to.
   */
  boolean exists(String ref);

  /**
   * Whether a file stored at a reference was published by an earlier run or attempt of this very
   * job, cut short after the publish but before it could say so (its coordinator restarted, its
   * worker killed or stopped): the job may replace it as its own.
   */
  boolean publishedByThisJob(String ref);

  /**
   * Removes the file at a reference (a local path or {@code VOLUME:path}); false when there was
   * none. For the job's own intermediate files, such as the chunks a join has used.
   */
  boolean remove(String ref);

  /** Where the file or folder at a reference lies on this host: a local path, or a volume kept here; empty for others. */
  java.util.Optional<Path> localFile(String ref);

  /** Reports progress (travels to the coordinator in Temporal heartbeats). */
  void progress(Progress progress);

  /**
   * Whether this job may encode on the GPU: it runs as a GPU job (from the {@code gpu} queue, as
   * its record says and its price counts) on a host that proved a GPU encoder works (see
   * {@code spool doctor}).
   */
  boolean gpuEncodeAvailable();
}
