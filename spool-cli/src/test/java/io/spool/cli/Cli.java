package io.spool.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the real {@code spool} command line in-process and captures what it prints. */
final class Cli {
  record Result(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.isBlank() ? List.of() : List.of(err.strip().split("\\R"));
    }
  }

  private Cli() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = SpoolCommand.commandLine(args);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
