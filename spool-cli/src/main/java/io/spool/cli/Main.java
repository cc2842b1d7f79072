package io.spool.cli;

import io.spool.engine.SpoolEngine;

/** Entry point of the {@code spool} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    LogSetup.install();
    if (args.length > 0 && SpoolCommand.ENGINE_COMMANDS.contains(args[0])) {
      SpoolEngine.prestart();
    }
    System.exit(SpoolCommand.commandLine(args).execute(args));
  }
}
