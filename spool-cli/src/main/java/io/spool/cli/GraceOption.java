package io.spool.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How long a service (dev-server, worker) lets running jobs finish when it is told to stop. */
public final class GraceOption {
  @Option(names = "--grace", defaultValue = "30s", paramLabel = "D", converter = Units.DurationConverter.class,
      description = "On Ctrl-C or SIGTERM, how long running jobs may take to finish before they are ended (default: ${DEFAULT-VALUE}).")
  Duration grace;
}
