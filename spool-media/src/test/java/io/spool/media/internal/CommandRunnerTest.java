package io.spool.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
  @Test
  void aReaderThatStopsEarlyLeavesTheCommandToFinish() {
    // A megabyte after the first line: more than a pipe holds, so the command is still writing
    // when the reader has what it wants and closes the stream.
    CommandRunner.Read<Integer> r = CommandRunner.run(
        List.of("bash", "-c", "echo first; head -c 1000000 /dev/zero; echo last >&2"),
        Duration.ofSeconds(30), io.spool.media.UsageMeter.NONE,
        stdout -> {
          int b = stdout.read();
          stdout.close();
          return b;
        });

    assertThat(r.ok()).as(r.stderr()).isTrue();
    assertThat(r.stdout()).isEqualTo((int) 'f');
    assertThat(r.unreadable()).isNull();
    assertThat(r.stderr()).isEqualTo("last\n");
  }

  @Test
  void whatTheReaderCannotReadIsReportedBesideTheExitStatus() {
    CommandRunner.Read<String> r = CommandRunner.run(List.of("bash", "-c", "echo oops >&2; exit 3"),
        Duration.ofSeconds(30), io.spool.media.UsageMeter.NONE, stdout -> {
          throw new java.io.IOException("nothing to read");
        });

    assertThat(r.exitStatus()).isEqualTo(3);
    assertThat(r.unreadable()).hasMessage("nothing to read");
    assertThat(r.stderr()).isEqualTo("oops\n");
  }

  @Test
  void whatACommandUsedIsMeasuredByTheKernelAndRecorded() {
    io.spool.media.UsageMeter meter = io.spool.media.UsageMeter.create();

    CommandRunner.Result r = CommandRunner.run(
        List.of("bash", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo done >&2"), Duration.ofSeconds(60), meter);

    assertThat(r.ok()).isTrue();
    assertThat(r.stderr()).as("the usage report is not the command's output").isEqualTo("done\n");
    assertThat(r.metrics().cpuSeconds()).as("a busy loop's CPU time").isGreaterThan(0.2);
    assertThat(meter.processes()).isEqualTo(1);
    assertThat(meter.total(0).cpuSeconds()).isEqualTo(r.metrics().cpuSeconds(), org.assertj.core.api.Assertions.within(0.01));
  }
}
