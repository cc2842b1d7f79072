package io.spool.transcribe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcmWindowsTest {
  @TempDir Path dir;

  /** Speech-like audio: {@code seconds} of a loud tone broken by 0.3 s pauses every 2.1 s. */
  private Path tonesWithPauses(double seconds) throws Exception {
    Path f = dir.resolve("audio.s16le");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f))) {
      long n = (long) (seconds * PcmWindows.RATE);
      for (long i = 0; i < n; i++) {
        double t = i / (double) PcmWindows.RATE;
        short v = t % 2.1 >= 1.8 ? 0 : (short) (12000 * Math.sin(2 * Math.PI * 300 * t));
        out.write(v & 0xff);
        out.write((v >> 8) & 0xff);
      }
    }
    return f;
  }

  @Test
  void longAudioComesInWindowsOfAtMostThirtySecondsCutInPausesAndNothingIsLost() throws Exception {
    double seconds = 200.3;
    Path pcm = tonesWithPauses(seconds);
    List<PcmWindows.Window> windows = new ArrayList<>();
    try (PcmWindows w = new PcmWindows(pcm, 20, 30)) {
      for (PcmWindows.Window next = w.next(); next != null; next = w.next()) {
        windows.add(next);
      }
    }

    long expected = (long) (seconds * PcmWindows.RATE);
    assertThat(windows.stream().mapToLong(w -> w.samples().length).sum()).isEqualTo(expected);
    long at = 0;
    for (int i = 0; i < windows.size(); i++) {
      PcmWindows.Window w = windows.get(i);
      assertThat(w.startSample()).as("window " + i).isEqualTo(at); // contiguous
      assertThat(w.samples().length).as("window " + i).isLessThanOrEqualTo(30 * PcmWindows.RATE);
      boolean last = i == windows.size() - 1;
      if (!last) {
        assertThat(w.samples().length).as("window " + i).isGreaterThanOrEqualTo(20 * PcmWindows.RATE);
        double cut = w.endSeconds();
        assertThat(cut % 2.1).as("window " + i + " ends at " + cut + " s, inside a pause").isBetween(1.8, 2.1);
      }
      at += w.samples().length;
    }
    assertThat(windows.size()).isBetween(7, 10);
  }

  @Test
  void shortAudioIsOneWindowAndAnOddByteAtTheEndIsDropped() throws Exception {
    Path pcm = dir.resolve("short.s16le");
    Files.write(pcm, new byte[] {0, 64, 0, (byte) 192, 1}); // 0.5, -0.5, and half a sample
    try (PcmWindows w = new PcmWindows(pcm, 20, 30)) {
      PcmWindows.Window only = w.next();
      assertThat(only.samples()).containsExactly(0.5f, -0.5f);
      assertThat(w.next()).isNull();
    }
  }
}
