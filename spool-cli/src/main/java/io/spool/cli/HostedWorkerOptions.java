package io.spool.cli;

import io.spool.engine.EngineConfig;
import io.spool.media.BadArgumentException;
import picocli.CommandLine.Option;

/** The media worker that a coordinator's process (dev-server, coordinator) runs beside it, if any. */
public final class HostedWorkerOptions {
  @Option(names = "--workers", paramLabel = "N", description = "Media worker capacity in cores (default: this host's cores).")
  Integer workers;

  @Option(names = "--no-workers", description = "No media worker here: only `spool worker` processes run jobs.")
  boolean noWorkers;

  /** The cores of the media worker to run; 0 for none. */
  int cores(EngineConfig config) {
    if (noWorkers && workers != null) {
      throw new BadArgumentException("give --workers N or --no-workers, not both");
    }
    if (workers != null && workers < 1) {
      throw new BadArgumentException("--workers must be at least 1, got " + workers);
    }
    return noWorkers ? 0 : workers != null ? workers : config.cpuCores();
  }
}
