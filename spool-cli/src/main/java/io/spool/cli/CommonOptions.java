package io.spool.cli;

import picocli.CommandLine.Option;

/** Flags every command accepts. */
public final class CommonOptions {
  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar, only the result.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Full detail on errors, and debug logs.")
  boolean verbose;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  /** Progress is drawn only on a terminal, and not with --quiet, --json or SPOOL_NO_PROGRESS. */
  boolean showsProgress() {
    return System.console() != null && System.getenv("SPOOL_NO_PROGRESS") == null && !quiet && !json;
  }
}
