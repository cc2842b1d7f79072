package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI as its own process, stopped by a signal in the middle of a transcode. */
class SignalTest {
  @TempDir Path dir;
  @TempDir Path home;
  @TempDir Path logs;

  @ParameterizedTest(name = "SIG{0}")
  @ValueSource(strings = {"INT", "TERM", "KILL"})
  void signalEndsFfmpegAndRemovesTemporaryOutput(String signal) throws Exception {
    Path in = MediaFixtures.sample(dir, "in.mp4", 1280, 720, 20);
    Path out = dir.resolve("out.mp4");
    Path log = logs.resolve("cli.log");
    Process cli = CliProcess.start(home, log, "transcode", in.toString(), out.toString(), "--preset", "archive", "--quiet");
    List<Long> ffmpeg = CliProcess.awaitFfmpeg(dir.toString(), 1);
    assertThat(ffmpeg).as("ffmpeg started").hasSize(1);

    CliProcess.signal(cli, signal);

    assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).isNotZero();
    // SIGKILL runs no shutdown hook: the kernel ends ffmpeg (parent-death signal).
    ProcessHandle.of(ffmpeg.get(0)).ifPresent(h -> h.onExit().orTimeout(5, TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(ffmpeg.get(0))).isEmpty();
    assertThat(MediaFixtures.ffmpegProcessesMentioning(dir.toString())).isEmpty();
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertThat(names).doesNotContain("out.mp4");
      if (!signal.equals("KILL")) {
        assertThat(names).noneMatch(n -> n.endsWith(".partial"));
      }
    }
  }
}
