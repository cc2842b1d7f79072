package io.spool.cli;

import io.spool.engine.SpoolEngine;
import java.util.Set;

/** Entry point of the {@code spool} command. */
public final class Main {
  /**
   * The subcommands that run their jobs on the embedded engine, whose Temporal service starts
   * before anything else. ({@code doctor} is not one: it reports how long the engine takes to
   * start.) Kept here rather than in {@link SpoolCommand}, whose class initialisation loads every
   * command class and would hold up the service's start.
   */
  private static final Set<String> ENGINE_COMMANDS = Set.of("transcode", "transcribe", "batch", "demo", "quality", "thumbnails",
      "audio", "frames", "hls");

  private Main() {}

  public static void main(String[] args) {
    // First, so that a signal during start-up is answered like one later on.
    Signals.install(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true),
        java.util.Arrays.asList(args).contains("--json"));
    // Picocli looks for Groovy's closure class when it starts; a class that is on no jar is looked
    // for in every jar of the class path, which opens them all.
    if (System.getProperty("picocli.disable.closures") == null) {
      System.setProperty("picocli.disable.closures", "true");
    }
    LogSetup.install();
    if (args.length > 0 && ENGINE_COMMANDS.contains(args[0]) && !ServiceOptions.namedOnCommandLineOrEnvironment(args)) {
      SpoolEngine.prestart();
    }
    System.exit(SpoolCommand.commandLine(args).execute(args));
  }
}
