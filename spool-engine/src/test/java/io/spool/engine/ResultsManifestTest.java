package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.testing.Eventually;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several processes append to one results manifest at once (batches sharing an output folder). */
class ResultsManifestTest {
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void endProcesses() {
    processes.forEach(Process::destroyForcibly);
  }

  /** A {@link ManifestAppender} process, started and waited for until it has opened the manifest. */
  private Process appender(Path file, String name, int count) throws Exception {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ManifestAppender.class.getName(), file.toString(), name,
        Integer.toString(count));
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve(name + ".err").toFile()).start();
    processes.add(p);
    String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(first).as(Files.readString(dir.resolve(name + ".err"))).isEqualTo("ready");
    return p;
  }

  private static void go(Process p) throws Exception {
    OutputStream in = p.getOutputStream();
    in.write("go\n".getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  private void awaitExit(Process p, String name) throws Exception {
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(name + " ends").isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve(name + ".err"))).isZero();
  }

  @Test
  void appendsFromTwoProcessesAtOnceNeitherInterleaveNorGetLost() throws Exception {
    Path file = dir.resolve("spool-results.jsonl");
    int count = 300;
    Process a = appender(file, "A", count);
    Process b = appender(file, "B", count);

    go(a);
    go(b);
    awaitExit(a, "A");
    awaitExit(b, "B");

    List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(ResultsManifest.scan(file).skipped()).as("lines that are not results lines").isEmpty();
    Set<String> missing = IntStream.range(0, count).boxed()
        .flatMap(i -> Stream.of("A/" + i, "B/" + i)).collect(Collectors.toCollection(TreeSet::new));
    ResultsManifest.read(file).forEach(l -> missing.remove(l.input()));
    assertThat(missing).as("appended lines that are lost").isEmpty();
    assertThat(raw.size()).as("lines").isEqualTo(2 * count);
  }

  @Test
  void aLineAnotherProcessIsStillWritingIsNotTakenForATornOne() throws Exception {
    Path file = dir.resolve("spool-results.jsonl");
    String held = "{\"input\":\"held\",\"output\":\"held.mp4\",\"status\":\"succeeded\",\"attempts\":1}\n";
    int half = held.length() / 2;
    try (FileChannel writer = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      Process p;
      FileLock lock = writer.lock();
      try {
        writer.write(ByteBuffer.wrap(held.substring(0, half).getBytes(StandardCharsets.UTF_8)));
        p = appender(file, "late", 1);
        go(p);
        // The other process waits for the lock that this writer holds (a blocked lock shows as "->").
        Eventually.await(Duration.ofSeconds(20), "the appender to wait for the manifest's lock",
            () -> waitsForALock(p.pid()));
        writer.write(ByteBuffer.wrap(held.substring(half).getBytes(StandardCharsets.UTF_8)));
        writer.force(false);
      } finally {
        lock.release();
      }
      awaitExit(p, "late");
    }

    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(2);
    assertThat(ResultsManifest.read(file)).extracting(ResultsManifest.Line::input).containsExactly("held", "late/0");
  }

  /** Whether the process waits for a file lock: the kernel lists a blocked one with "->" in /proc/locks. */
  private static boolean waitsForALock(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/locks")).stream()
          .anyMatch(l -> l.contains("->") && l.matches(".*\\s" + pid + "\\s.*"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aLineTornByAWriterThatDiedIsClosedOffByTheNextAppend() throws Exception {
    Path file = dir.resolve("spool-results.jsonl");
    Files.writeString(file, "{\"input\":\"whole\",\"status\":\"succeeded\"}\n{\"input\":\"torn");
    Process p = appender(file, "next", 2);
    go(p);
    awaitExit(p, "next");

    assertThat(ResultsManifest.read(file)).extracting(ResultsManifest.Line::input)
        .containsExactly("whole", "next/0", "next/1");
  }
}
