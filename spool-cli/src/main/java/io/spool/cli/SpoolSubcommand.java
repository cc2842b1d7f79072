package io.spool.cli;

import io.spool.media.Toolchain;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the common flags, the output streams, the tool locations. */
abstract class SpoolSubcommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Toolchain tools() {
    return Toolchain.locate();
  }

  /** Prints {@code value} as JSON with {@code --json}, else the given human text. */
  void print(Object value, String human) {
    out().println(common.json ? Json.write(value) : human);
    out().flush();
  }
}
