package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.Preset;
import io.spool.media.TranscodeOptions;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What job records say a job used, against what the kernel says this JVM's children used: every
 * process a job runs (ffprobe, ffmpeg, their start-up) counts, and so does every attempt.
 */
class MeteringTest {
  @TempDir Path home;
  @TempDir Path dir;
  private SpoolEngine engine;

  @BeforeEach
  void start() {
    engine = SpoolEngine.embedded(EngineConfig.newBuilder(home).cpuCores(2).build());
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  /**
   * CPU seconds of this JVM's finished children (user + system), from {@code /proc/self/stat}:
   * the kernel adds a child's usage, and that of the children it waited for, when it is reaped.
   */
  private static double childrenCpuSeconds() throws Exception {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
  }

  @Test
  void aBatchOfShortJobsIsMeteredAsMuchCpuAsItsProcessesUsed() throws Exception {
    List<JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      // Not an MP4 file: its job runs ffprobe before ffmpeg, and ffprobe's use must count too.
      Path in = MediaFixtures.sample(dir, "in" + i + ".mp4", 320, 240, 1);
      Path mkv = dir.resolve("in" + i + ".mkv");
      MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-i", in.toString(), "-c", "copy", mkv.toString()));
      specs.add(TranscodeJob.spec(mkv.toString(), dir.resolve("out" + i + ".mp4").toString(),
          TranscodeOptions.newBuilder().build(), Resources.newBuilder().cpu(1).build()));
    }
    double before = childrenCpuSeconds();

    List<JobOutcome> outcomes = engine.map(specs, 0, false).toList();

    double used = childrenCpuSeconds() - before;
    double metered = outcomes.stream().mapToDouble(o -> o.metrics().cpuSeconds()).sum();
    assertThat(outcomes).allSatisfy(o -> assertThat(o.state()).as(o.error()).isEqualTo(JobState.SUCCEEDED));
    assertThat(used).as("the children used CPU").isGreaterThan(0.5);
    assertThat(metered).as("metered CPU-seconds against the children's %.2f", used).isCloseTo(used, within(used * 0.10));
  }

  @Test
  void everyFailedAttemptIsMeteredAndPriced() throws Exception {
    Path in = MediaFixtures.sample(dir, "long.mp4", 1280, 720, 20);
    Resources r = Resources.newBuilder().cpu(2).timeout(Duration.ofSeconds(2))
        .retries(new RetryPolicy(2, Duration.ofMillis(100), 1.0)).build();
    JobSpec job = TranscodeJob.spec(in.toString(), dir.resolve("never.mp4").toString(),
        TranscodeOptions.newBuilder().preset(Preset.ARCHIVE).build(), r);
    double before = childrenCpuSeconds();

    JobOutcome o = engine.remote(job);

    double used = childrenCpuSeconds() - before;
    assertThat(o.state()).isEqualTo(JobState.FAILED);
    assertThat(o.errorCode()).isEqualTo("TIMEOUT");
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(used).as("three attempts of 2 s on 2 cores").isGreaterThan(3);
    assertThat(o.metrics().cpuSeconds()).as("metered against the children's %.2f", used).isCloseTo(used, within(used * 0.10));
    assertThat(o.metrics().wallSeconds()).as("three attempts' time").isGreaterThan(5.5);
    assertThat(o.cost().totalUsd()).isPositive();
    assertThat(o.cost().reservedCpuSeconds()).isGreaterThan(2 * 5.5);
    JobRecord record = engine.store().job(o.jobId()).orElseThrow();
    assertThat(record.outcome().cost().totalUsd()).isEqualTo(o.cost().totalUsd());
  }
}
