package io.spool.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The CLI's logging: warnings and errors on stderr as {@code HH:mm:ss.SSS LEVEL logger - message};
 * Temporal only on errors, since Spool reports failed attempts itself. {@code --verbose} lowers
 * the level to DEBUG. A {@code logback.xml} named by {@code -Dlogback.configurationFile} still
 * wins.
 *
 * <p>It is set up in code, and the CLI names its {@link Provider} to SLF4J directly, because every
 * command pays for logging's start: finding a provider and a configurator makes SLF4J and logback
 * each look through every jar on the class path, and logback's pattern layout parses its pattern
 * with a small compiler. (Elsewhere, logback finds this class as a {@link Configurator}.)
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Makes SLF4J use {@link Provider} without searching the class path, unless told otherwise. */
  static void install() {
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", Provider.class.getName());
      // SLF4J says at INFO level that it was given a provider
      if (System.getProperty("slf4j.internal.verbosity") == null) {
        System.setProperty("slf4j.internal.verbosity", "WARN");
      }
    }
  }

  private static void apply(LoggerContext context) {
    LineLayout layout = new LineLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    context.getLogger("io.temporal").setLevel(Level.ERROR);
    // The S3 client's HTTP libraries log every byte and header they send at DEBUG, and the SDK its
    // signing: of no use with --verbose, and the headers carry signatures a reader could replay.
    context.getLogger("org.apache.hc.client5.http.wire").setLevel(Level.INFO);
    context.getLogger("org.apache.hc.client5.http.headers").setLevel(Level.INFO);
    context.getLogger("org.apache.http").setLevel(Level.INFO);
    context.getLogger("software.amazon.awssdk").setLevel(Level.INFO);
  }

  /** {@code %d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n} and the stack trace, if any. */
  static final class LineLayout extends LayoutBase<ILoggingEvent> {
    private final TargetLengthBasedClassNameAbbreviator names = new TargetLengthBasedClassNameAbbreviator(24);

    @Override
    public String doLayout(ILoggingEvent event) {
      StringBuilder b = new StringBuilder(128);
      String level = event.getLevel().toString();
      b.append(Clock.TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ').append(level);
      b.append(" ".repeat(Math.max(0, 5 - level.length())));
      b.append(' ').append(names.abbreviate(event.getLoggerName())).append(" - ").append(event.getFormattedMessage());
      b.append(CoreConstants.LINE_SEPARATOR);
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null && !Provider.verbose && isTemporal(event.getLoggerName())) {
        // Temporal's own trouble (a lost connection, a report cut off as a worker stops) is one
        // line, its root cause at the end; --verbose shows the whole trace.
        IThrowableProxy root = thrown;
        while (root.getCause() != null) {
          root = root.getCause();
        }
        b.setLength(b.length() - CoreConstants.LINE_SEPARATOR.length());
        b.append(": ").append(root.getClassName().substring(root.getClassName().lastIndexOf('.') + 1));
        b.append(root.getMessage() == null ? "" : ": " + root.getMessage().lines().findFirst().orElse(""));
        b.append(CoreConstants.LINE_SEPARATOR);
      } else if (thrown != null) {
        b.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
      }
      return b.toString();
    }
  }

  private static boolean isTemporal(String logger) {
    return logger.equals("io.temporal") || logger.startsWith("io.temporal.");
  }

  /** Made when the first line is logged: reading the time zone costs more than the rest of logging's start. */
  private static final class Clock {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  }

  /** Lowers Spool's level to DEBUG ({@code --verbose}), whether logging has started yet or not. */
  static void verbose() {
    Provider.verbose = true;
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
    }
  }

  /**
   * Logback as SLF4J's provider, set up by {@link LogSetup} (or from the named logback.xml). Logback
   * starts when the first line is logged: until then loggers are stand-ins that know
   * {@link LogSetup}'s levels, so that a command that logs nothing (while a library it uses makes
   * loggers, as the SQLite driver does when it loads) does not pay for logging's start.
   */
  public static final class Provider implements SLF4JServiceProvider {
    static volatile boolean verbose;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();
    private final Loggers loggers = new Loggers(this);
    private volatile ILoggerFactory started;

    @Override
    public void initialize() {
      if (System.getProperty("logback.configurationFile") != null) {
        context(); // its levels are not known before it is read
      }
    }

    /** Logback, started on first use. */
    synchronized ILoggerFactory context() {
      if (started == null) {
        LoggerContext context = new LoggerContext();
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        if (System.getProperty("logback.configurationFile") != null) {
          try {
            new ContextInitializer(context).autoConfig();
          } catch (JoranException e) {
            System.err.println("spool: logging configuration failed: " + e.getMessage());
          }
        } else {
          apply(context);
          if (verbose) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
          }
        }
        context.start();
        started = context;
      }
      return started;
    }

    boolean started() {
      return started != null;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
      ILoggerFactory s = started;
      return s != null ? s : loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
      return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
      return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
      return LogbackServiceProvider.REQUESTED_API_VERSION;
    }
  }

  /** The loggers handed out before logback has started. */
  private static final class Loggers implements ILoggerFactory {
    private final Provider provider;

    Loggers(Provider provider) {
      this.provider = provider;
    }

    @Override
    public Logger getLogger(String name) {
      return provider.started() ? provider.context().getLogger(name) : new Deferred(name, provider);
    }
  }

  /** A logger that answers from {@link LogSetup}'s levels until a line is logged, and then starts logback. */
  private static final class Deferred extends LegacyAbstractLogger {
    private final Provider provider;
    private volatile Logger real;

    Deferred(String name, Provider provider) {
      this.name = name;
      this.provider = provider;
    }

    private Logger real() {
      Logger r = real;
      if (r == null) {
        r = provider.context().getLogger(name);
        real = r;
      }
      return r;
    }

    private boolean enabled(org.slf4j.event.Level level) {
      if (real != null || provider.started()) {
        return real().isEnabledForLevel(level);
      }
      boolean temporal = isTemporal(name);
      org.slf4j.event.Level least = temporal ? org.slf4j.event.Level.ERROR
          : Provider.verbose ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.WARN;
      return level.toInt() >= least.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
      return enabled(org.slf4j.event.Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
      return enabled(org.slf4j.event.Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return enabled(org.slf4j.event.Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return enabled(org.slf4j.event.Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
      return enabled(org.slf4j.event.Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(org.slf4j.event.Level level, org.slf4j.Marker marker, String message,
        Object[] args, Throwable thrown) {
      ((org.slf4j.spi.LocationAwareLogger) real()).log(marker, Deferred.class.getName(), level.toInt(), message, args, thrown);
    }
  }
}
