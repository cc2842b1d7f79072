package io.spool.cli;

import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The spool CLI as a separate process (a JVM on the test classpath), for signal and crash tests. */
final class CliProcess {
  private CliProcess() {}

  static Process start(Path home, Path log, String... args) throws IOException {
    return start(home, log, List.of(), args);
  }

  /** The same, with options for the JVM. */
  static Process start(Path home, Path log, List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dspool.home=" + home, Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * The same with environment variables added (such as {@code SPOOL_TEMPORAL}) and stdout written
   * apart from stderr, so that a command's JSON can be read back while its logs go elsewhere.
   */
  static Process start(Path home, Map<String, String> env, Path out, Path err, List<String> jvmOptions, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dspool.home=" + home, Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * Waits until at least {@code count} ffmpeg processes mention {@code marker}; returns their pids.
   * Fails the test when they do not appear within 20 s.
   */
  static List<Long> awaitFfmpeg(String marker, int count) {
    return Eventually.await(Duration.ofSeconds(20), count + " ffmpeg processes mentioning " + marker,
        () -> MediaFixtures.ffmpegProcessesMentioning(marker), pids -> pids.size() >= count);
  }

  /** Sends a signal with bash's built-in kill (no procps needed). */
  static void signal(Process p, String signal) throws Exception {
    new ProcessBuilder("bash", "-c", "kill -" + signal + " " + p.pid()).start().waitFor();
  }
}
