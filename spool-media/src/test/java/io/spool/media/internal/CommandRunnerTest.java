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
        Duration.ofSeconds(30),
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
        Duration.ofSeconds(30), stdout -> {
          throw new java.io.IOException("nothing to read");
        });

    assertThat(r.exitStatus()).isEqualTo(3);
    assertThat(r.unreadable()).hasMessage("nothing to read");
    assertThat(r.stderr()).isEqualTo("oops\n");
  }
}
