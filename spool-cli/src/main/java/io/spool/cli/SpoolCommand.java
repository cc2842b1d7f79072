package io.spool.cli;

import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code spool} command. */
@Command(
    name = "spool",
    mixinStandardHelpOptions = true,
    versionProvider = SpoolCommand.Version.class,
    description = "Run FFmpeg media jobs like serverless functions.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  ok", "  1  the job (or some items) failed, or an internal error", "  2  usage error",
      "  3  invalid input (missing, empty, not a regular file, corrupt, truncated, not media)",
      "  4  environment (ffmpeg, ffprobe, an encoder or a speech model missing or damaged)",
      "  5  output not writable (read-only file system, a file in its path, no permission, disk full)",
      "  130  cancelled"
    })
public final class SpoolCommand {

  /**
   * The subcommands, in the order help lists them. Picocli reads a command's annotations when it
   * is added, so a command line built for one run adds only the subcommand that run names. They
   * are classes, which picocli instantiates, rather than constructor references, each of which
   * would be linked at start whether the run uses it or not.
   */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("doctor", DoctorCommand.class);
    m.put("probe", ProbeCommand.class);
    m.put("transcode", TranscodeCommand.class);
    m.put("transcribe", TranscribeCommand.class);
    m.put("quality", QualityCommand.class);
    m.put("thumbnails", ThumbnailsCommand.class);
    m.put("audio", AudioCommand.class);
    m.put("frames", FramesCommand.class);
    m.put("hls", HlsCommand.class);
    m.put("batch", BatchCommand.class);
    m.put("jobs", JobsCommand.class);
    m.put("volume", VolumeCommand.class);
    m.put("cost", CostCommand.class);
    m.put("demo", DemoCommand.class);
    m.put("dev-server", DevServerCommand.class);
    m.put("coordinator", CoordinatorCommand.class);
    m.put("worker", WorkerCommand.class);
    m.put("workers", WorkersCommand.class);
    m.put("serve", ServeCommand.class);
    m.put("help", CommandLine.HelpCommand.class);
    return m;
  }

  /** A ready-to-execute command line with every subcommand, Spool's error handling and exit codes. */
  public static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * A command line for running {@code args}: when they start with a subcommand's name (and do
   * not ask for general help), only that subcommand is added, and when they ask only for the
   * version, none, which saves reading the others.
   */
  public static CommandLine commandLine(String[] args) {
    CommandLine cl = new CommandLine(new SpoolCommand());
    String first = args.length > 0 ? args[0] : "";
    if (SUBCOMMANDS.containsKey(first) && !first.equals("help")) {
      cl.addSubcommand(first, SUBCOMMANDS.get(first));
    } else if (!(args.length == 1 && (first.equals("--version") || first.equals("-V")))) {
      SUBCOMMANDS.forEach((name, command) -> cl.addSubcommand(name, command));
    }
    // Classes, not lambdas or method references, for picocli's interfaces and methods: the JVM
    // cannot keep a picocli class that a lambda links in the launcher's class-data archive (its
    // class files are of an old version), and then loads and verifies it from the jar at each run.
    cl.setExecutionExceptionHandler(new Failures());
    cl.setParameterExceptionHandler(new BadUsage());
    cl.setExecutionStrategy(new Run());
    return cl;
  }

  /** Runs the command a parse names, with logging set up for it. */
  private static final class Run implements CommandLine.IExecutionStrategy {
    @Override
    public int execute(CommandLine.ParseResult parsed) {
      configureLogging(parsed);
      return new CommandLine.RunLast().execute(parsed);
    }
  }

  /** Failures of a command, handled by {@link #handle}. */
  private static final class Failures implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
      return handle(e, cl, parsed);
    }
  }

  /**
   * A command line picocli cannot parse (unknown option, bad value): one line naming the problem
   * and where help is, the JSON error with --json, exit 2 — like any other failure, not a page of
   * usage text.
   */
  private static final class BadUsage implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
      CommandLine cl = ex.getCommandLine();
      String message = ex.getMessage() + (looksLikeAFileName(ex) ? " (a file name starting with '-' goes after --)" : "")
          + " (see " + cl.getCommandSpec().qualifiedName() + " --help)";
      return report(new BadArgumentException(message), cl.getOut(), cl.getErr(),
          java.util.Arrays.asList(args).contains("--json"), false);
    }
  }

  /** Whether picocli took an argument for an unknown option that may be a file name ({@code -y.mp4}, not {@code --fast}). */
  private static boolean looksLikeAFileName(CommandLine.ParameterException ex) {
    return ex instanceof CommandLine.UnmatchedArgumentException u
        && u.getUnmatched().stream().anyMatch(a -> a.startsWith("-") && !a.startsWith("--") && a.length() > 2);
  }

  /** The one place where failures become a one-line message, JSON and an exit code. */
  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    if (Signals.stopping()) {
      return ExitCodes.CANCELLED; // the signal's own report stands; what fails as the jobs end adds nothing
    }
    CommonOptions common = cl.getCommand() instanceof SpoolSubcommand s ? s.common : new CommonOptions();
    return report(e, cl.getOut(), cl.getErr(), common.json, common.verbose);
  }

  /** Reports a failure: one line on stderr, the JSON error on stdout with --json; returns its exit code. */
  static int report(Exception e, PrintWriter out, PrintWriter err, boolean json, boolean verbose) {
    ErrorCode code = e instanceof SpoolException se ? se.code() : ErrorCode.INTERNAL;
    String message = e instanceof SpoolException ? e.getMessage() : "internal error: " + e;
    err.println("spool: " + message + " [" + code + "]");
    if (verbose) {
      if (e instanceof SpoolException se) {
        se.evidence().forEach(line -> err.println("  | " + line));
      }
      e.printStackTrace(err);
    }
    err.flush();
    if (json) {
      out.println(Json.write(Map.of("error", errorJson(e, code, message))));
      out.flush();
    }
    return ExitCodes.of(code);
  }

  static Map<String, Object> errorJson(Exception e, ErrorCode code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", code);
    m.put("message", message);
    m.put("retryable", code.retryable());
    if (e instanceof JobFailure f) {
      m.put("job", f.jobId());
      m.put("attempts", f.attempts());
    }
    if (e instanceof SpoolException se && !se.evidence().isEmpty()) {
      m.put("evidence", se.evidence());
    }
    return m;
  }

  /**
   * {@code --verbose} lowers the level to DEBUG. Otherwise logging keeps {@link LogSetup}'s levels
   * and starts only when something logs, which most commands never do.
   */
  private static void configureLogging(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult leaf = parsed;
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
    }
    boolean verbose = leaf.commandSpec().userObject() instanceof SpoolSubcommand s && s.common.verbose;
    if (verbose) {
      LogSetup.verbose();
    }
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SpoolCommand.class.getPackage().getImplementationVersion();
      return new String[] {"spool " + (v == null ? "development build" : v)};
    }
  }
}
