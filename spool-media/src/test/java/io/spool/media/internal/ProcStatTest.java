package io.spool.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatTest {
  @Test
  void residentMemoryFromTheStatLineMatchesWhatTheKernelReportsInKib() throws Exception {
    long pid = ProcessHandle.current().pid();
    long statusRss = Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
        .findFirst().orElseThrow();

    ProcStat.Sample s = ProcStat.read(pid);

    // Read a moment apart, so only close: a wrong page size would be off by a factor of 4 or more.
    assertThat((double) s.rssBytes()).isCloseTo(statusRss, within(statusRss * 0.25));
    assertThat(ProcStat.peakRss(pid)).isGreaterThanOrEqualTo(s.rssBytes() / 2).isPositive();
    assertThat(s.userSeconds()).isPositive();
  }

  @Test
  void aProcessThatIsGoneReadsAsNothing() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    assertThat(ProcStat.read(p.pid())).isEqualTo(ProcStat.Sample.NONE);
    assertThat(ProcStat.peakRss(p.pid())).isZero();
  }
}
