package io.spool.media.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a child process with the kernel's own accounting of it. Java reaps its children
 * itself and keeps their resource usage to itself, so on Linux each tool is started under a small
 * {@code bash} parent that waits for it and then prints its {@code times} (the {@code wait4}
 * usage of the tool, start-up included, and bash's own) on stderr after a marker line. The tool
 * itself runs under {@code setpriv --pdeathsig KILL} with bash as its parent, and bash under the
 * same with the JVM's thread as its parent, so a killed JVM still takes the tool down. Bash
 * answers SIGTERM and SIGINT only after the tool has ended, so a tool that is stopped is still
 * measured; one that has to be killed is measured by sampling instead.
 */
public final class ChildUsage {
  /** The line bash prints before its {@code times}. */
  static final String MARKER = "@spool-usage";
  /** The wrapper's name ({@code $0}), which bash puts before its own messages. */
  private static final String NAME = "spool-usage";
  private static final Path BASH = Path.of("/bin/bash");
  private static final String SCRIPT =
      "trap : TERM INT; \"$@\"; s=$?; printf '\\n" + MARKER + "\\n' >&2; times >&2; exit $s";
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s");
  private static final boolean AVAILABLE = !ParentDeath.wrapper().isEmpty() && Files.isExecutable(BASH);

  private ChildUsage() {}

  /** Whether commands are wrapped, so that the tool is the wrapper's only child. */
  public static boolean wraps() {
    return AVAILABLE;
  }

  /** The argument list that runs {@code command} measured (or as it is where that is not possible). */
  public static List<String> command(List<String> command) {
    List<String> argv = new ArrayList<>(ParentDeath.wrapper());
    if (AVAILABLE) {
      argv.addAll(List.of(BASH.toString(), "-c", SCRIPT, NAME));
      argv.addAll(ParentDeath.wrapper());
    }
    argv.addAll(command);
    return argv;
  }

  /**
   * Reads the wrapper's report out of a process's stderr, line by line: {@link #accept} says
   * whether a line belongs to the report (and so not to the tool's own output).
   */
  public static final class Report {
    private int state; // 0: tool output, 1: after the marker, 2: after bash's own line, 3: done
    private double user;
    private double system;
    private boolean complete;

    /** Takes one stderr line; true when it was part of the report. */
    public synchronized boolean accept(String line) {
      if (!AVAILABLE) {
        return false;
      }
      if (state == 0) {
        if (line.equals(MARKER)) {
          state = 1;
          return true;
        }
        // Bash's own word on how the tool ended ("spool-usage: line 1: 123 Killed ..."): the
        // failure is reported from the tool's status.
        return line.startsWith(NAME + ": line ");
      }
      Matcher m = TIMES.matcher(line);
      if (state < 3 && m.matches()) {
        user += Long.parseLong(m.group(1)) * 60 + Double.parseDouble(m.group(2));
        system += Long.parseLong(m.group(3)) * 60 + Double.parseDouble(m.group(4));
        state++;
        complete = state == 3;
        return true;
      }
      return false;
    }

    /** CPU seconds in user mode of the tool and its wrapper, when the wrapper reported them. */
    public synchronized OptionalDouble userSeconds() {
      return complete ? OptionalDouble.of(user) : OptionalDouble.empty();
    }

    /** CPU seconds in the kernel of the tool and its wrapper, when the wrapper reported them. */
    public synchronized OptionalDouble systemSeconds() {
      return complete ? OptionalDouble.of(system) : OptionalDouble.empty();
    }
  }

  /** Reads the report out of captured stderr text into {@code report}, returning the tool's own part. */
  public static String toolOutput(String stderr, Report report) {
    // The marker is preceded by a newline of its own, in case the tool's last line had none.
    int at = stderr.lastIndexOf("\n" + MARKER + "\n");
    if (!AVAILABLE || at < 0) {
      return stderr;
    }
    for (String line : stderr.substring(at + 1).split("\\R")) {
      report.accept(line);
    }
    return stderr.substring(0, at);
  }
}
