package io.spool.cli;

/** Entry point of the {@code spool} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    LogSetup.install();
    System.exit(SpoolCommand.commandLine(args).execute(args));
  }
}
