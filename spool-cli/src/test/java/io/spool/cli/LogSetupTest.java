package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSetupTest {
  @Test
  void aCommandThatLogsNothingLeavesLoggingUnstarted(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("out.txt");
    Process p = CliProcess.start(dir.resolve("home"), log, List.of("-verbose:class"), "jobs", "ls");
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }

    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("io.spool.cli.JobsCommand", "ID ").doesNotContain("ch.qos.logback.classic.LoggerContext");
  }

  @Test
  void aLineHasTheTimeTheLevelTheShortenedLoggerAndTheStackTrace() {
    LoggerContext context = new LoggerContext();
    Logger logger = context.getLogger("io.spool.engine.internal.MediaActivitiesImpl");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "job {} failed in its own code",
        new IllegalStateException("boom"), new Object[] {"j-1"});
    LogSetup.LineLayout layout = new LogSetup.LineLayout();
    layout.setContext(context);
    layout.start();

    String[] lines = layout.doLayout(event).split("\\R");

    assertThat(lines[0]).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  i\\.s\\.e\\.i\\.MediaActivitiesImpl - job j-1 failed in its own code");
    assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(lines[2]).contains("at io.spool.cli.LogSetupTest.");
  }

  @Test
  void theProviderWarnsAndLeavesTemporalToErrors() {
    LogSetup.Provider provider = new LogSetup.Provider();
    provider.initialize();
    org.slf4j.Logger spool = provider.getLoggerFactory().getLogger("io.spool.engine.SpoolEngine");
    org.slf4j.Logger temporal = provider.getLoggerFactory().getLogger("io.temporal.internal.worker.Poller");

    assertThat(spool.isWarnEnabled()).isTrue();
    assertThat(spool.isInfoEnabled()).isFalse();
    assertThat(temporal.isWarnEnabled()).isFalse();
    assertThat(temporal.isErrorEnabled()).isTrue();
  }

  @Test
  void temporalsOwnTroubleIsOneLineEndingWithItsRootCause() {
    LoggerContext context = new LoggerContext();
    Logger logger = context.getLogger("io.temporal.internal.worker.ActivityWorker");
    RuntimeException failure = new RuntimeException("Failure processing activity response. WorkflowId=b-1",
        new java.util.concurrent.CancellationException("The gRPC request was cancelled"));
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "uncaught exception", failure, null);
    LogSetup.LineLayout layout = new LogSetup.LineLayout();
    layout.setContext(context);
    layout.start();

    String[] lines = layout.doLayout(event).split("\\R");

    assertThat(lines).singleElement().asString().endsWith(
        "ERROR i.t.i.w.ActivityWorker - uncaught exception: CancellationException: The gRPC request was cancelled");
  }
}
