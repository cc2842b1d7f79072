package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.internal.ProcessTree;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerTest {
  @TempDir Path dir;

  /** A slow encode of a long generated source into {@code target}: runs far longer than any test waits. */
  private static FFmpegCommand endlessEncode(Path target) {
    return FFmpegCommand.newBuilder()
        .input(Input.generated(Filter.of("testsrc2").with("size", "1280x720").with("rate", 30)).limitedTo(3600))
        .output(Output.newBuilder(target).format("mp4")
            .video(VideoEncoding.newBuilder().codec("libx264").preset("slow").crf(18).build()).build())
        .build();
  }

  @Test
  void progressIsReportedAndRunIsMetered() {
    List<Progress> seen = new CopyOnWriteArrayList<>();
    Path out = dir.resolve("p.mp4");
    FFmpegCommand cmd = FFmpegCommand.newBuilder()
        .input(Input.generated(Filter.of("testsrc2").with("size", "640x360").with("rate", 25)).limitedTo(4))
        .output(Output.newBuilder(out).format("mp4")
            .video(VideoEncoding.newBuilder().codec("libx264").preset("veryfast").build()).build())
        .build();

    RunResult r = FFmpegRunner.using(MediaFixtures.tools()).run(cmd,
        RunOptions.DEFAULT.withExpectedDuration(4).withListener(seen::add));

    assertThat(seen).isNotEmpty();
    Progress last = seen.get(seen.size() - 1);
    assertThat(last.done()).isTrue();
    assertThat(last.fraction()).isEqualTo(1.0);
    assertThat(last.frame()).isEqualTo(100);
    assertThat(seen).extracting(Progress::outTimeSeconds).isSorted();
    assertThat(r.metrics().cpuSeconds()).isPositive();
    assertThat(r.metrics().wallSeconds()).isPositive();
    assertThat(r.metrics().peakRssBytes()).isGreaterThan(1 << 20);
  }

  @Test
  void timeoutEndsFfmpegAndLeavesNoProcess() {
    RunHandle handle = FFmpegRunner.using(MediaFixtures.tools())
        .start(endlessEncode(dir.resolve("t.mp4")), RunOptions.DEFAULT.withTimeout(Duration.ofMillis(1500)));
    long pid = handle.pid();

    assertThatThrownBy(handle::await)
        .isInstanceOfSatisfying(TimeoutExceededException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
          assertThat(e.retryable()).isTrue();
        });
    assertThat(ProcessHandle.of(pid)).isEmpty();
    assertThat(MediaFixtures.ffmpegProcessesMentioning(dir.toString())).isEmpty();
  }

  @Test
  void cancelEndsFfmpegAndLeavesNoProcess() throws Exception {
    List<Progress> seen = new CopyOnWriteArrayList<>();
    RunHandle handle = FFmpegRunner.using(MediaFixtures.tools())
        .start(endlessEncode(dir.resolve("c.mp4")), RunOptions.DEFAULT.withListener(seen::add));
    Eventually.await(Duration.ofSeconds(10), "ffmpeg's first progress report", () -> !seen.isEmpty());
    assertThat(handle.isAlive()).isTrue();

    handle.cancel();

    assertThatThrownBy(handle::await).isInstanceOf(CancelledException.class);
    assertThat(ProcessHandle.of(handle.pid())).isEmpty();
    assertThat(MediaFixtures.ffmpegProcessesMentioning(dir.toString())).isEmpty();
  }

  @Test
  void interruptingTheCallerCancelsTheRun() throws Exception {
    // What the run ends with is handed back to the test thread: an assertion in the caller's
    // thread would die with it unseen.
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      try {
        FFmpegRunner.using(MediaFixtures.tools()).run(endlessEncode(dir.resolve("i.mp4")), RunOptions.DEFAULT);
        ended.complete(null);
      } catch (Throwable t) {
        ended.complete(t);
      }
    });
    caller.start();
    List<Long> ffmpeg = Eventually.await(Duration.ofSeconds(10), "the run's ffmpeg process",
        () -> MediaFixtures.ffmpegProcessesMentioning(dir.toString()), pids -> !pids.isEmpty());
    assertThat(ffmpeg).hasSize(1);

    caller.interrupt();
    Throwable thrown = ended.get(10, TimeUnit.SECONDS);
    caller.join(10_000);

    assertThat(thrown).as("what the interrupted run threw").isInstanceOf(CancelledException.class);
    assertThat(caller.isAlive()).isFalse();
    assertThat(MediaFixtures.ffmpegProcessesMentioning(dir.toString())).isEmpty();
  }

  @Test
  void memoryLimitEndsFfmpegWithOutOfMemory() {
    RunHandle handle = FFmpegRunner.using(MediaFixtures.tools())
        .start(endlessEncode(dir.resolve("m.mp4")), RunOptions.DEFAULT.withMemoryLimit(40L << 20));

    assertThatThrownBy(handle::await)
        .isInstanceOfSatisfying(OutOfMemoryException.class, e -> {
          assertThat(e.getMessage()).contains("needs more memory").contains("40 MiB");
          assertThat(e.code()).isEqualTo(ErrorCode.MEMORY_LIMIT);
          assertThat(e.retryable()).isFalse();
        });
    assertThat(ProcessHandle.of(handle.pid())).isEmpty();
  }

  @Test
  void processTreeEndsChildrenToo() throws Exception {
    Process shell = new ProcessBuilder("bash", "-c", "sleep 300 & sleep 300 & wait").start();
    List<ProcessHandle> children = Eventually.await(Duration.ofSeconds(10), "the shell's two children",
        () -> shell.descendants().toList(), found -> found.size() >= 2);
    assertThat(children).hasSize(2);

    ProcessTree.end(shell, Duration.ofSeconds(2));

    assertThat(shell.isAlive()).isFalse();
    assertThat(children).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void ffmpegFailureIsClassifiedWithItsReason() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.mp4"), "just some text, not a video\n".repeat(50));
    FFmpegCommand cmd = FFmpegCommand.newBuilder().input(Input.of(text))
        .output(Output.newBuilder(dir.resolve("o.mp4")).format("mp4").build()).build();

    assertThatThrownBy(() -> FFmpegRunner.using(MediaFixtures.tools()).run(cmd, RunOptions.DEFAULT))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("Invalid data found").doesNotContain("\n");
          assertThat(e.evidence()).isNotEmpty();
        });
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(text);
    }
  }

  @Test
  void missingEncoderIsAnEnvironmentFailure() {
    FFmpegCommand cmd = FFmpegCommand.newBuilder()
        .input(Input.generated(Filter.of("testsrc2")).limitedTo(1))
        .output(Output.newBuilder(dir.resolve("x.mp4")).format("mp4")
            .video(VideoEncoding.newBuilder().codec("libnotacodec").build()).build())
        .build();

    assertThatThrownBy(() -> FFmpegRunner.using(MediaFixtures.tools()).run(cmd, RunOptions.DEFAULT))
        .isInstanceOfSatisfying(EnvironmentException.class, e -> assertThat(e.retryable()).isFalse());
  }
}
