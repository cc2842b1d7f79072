package io.spool.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.FileIdentity;
import io.spool.media.OutputExistsException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void endProcesses() {
    processes.forEach(Process::destroyForcibly);
  }

  private record Writer(Process process, Path temporary) {}

  /** A {@link PartialWriter} process writing {@code target}, once its temporary file is there. */
  private Writer writer(Path target) throws Exception {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), PartialWriter.class.getName(), target.toString());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(p);
    String temporary = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(temporary).as("the writer's temporary file").isNotNull();
    return new Writer(p, Path.of(temporary));
  }

  @Test
  void removeAbandonedRemovesOnlyTheTemporaryFilesOfWritersThatAreGone() throws Exception {
    try (AtomicOutput mine = AtomicOutput.beside(dir.resolve("mine.mp4"))) {
      Writer live = writer(dir.resolve("live.mp4"));
      Writer killed = writer(dir.resolve("killed.mp4"));
      killed.process().destroyForcibly();
      assertThat(killed.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
      // Left by an older Spool, which did not name the writer: taken for a killed writer's.
      Path unnamed = Files.createFile(dir.resolve(".old.mp4.spool-0a1b2c3d.partial"));

      assertThat(AtomicOutput.removeAbandoned(dir)).isEqualTo(2);

      assertThat(mine.temporary()).exists();
      assertThat(live.temporary()).exists();
      assertThat(killed.temporary()).doesNotExist();
      assertThat(unnamed).doesNotExist();
      assertThat(AtomicOutput.targetOf(live.temporary())).isEqualTo(dir.resolve("live.mp4"));
      assertThat(AtomicOutput.targetOf(unnamed)).isEqualTo(dir.resolve("old.mp4"));

      live.process().getOutputStream().close();
      assertThat(live.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(live.temporary()).as("removed by its writer when it ends").doesNotExist();
    }
  }

  @Test
  void aTemporaryFileNamedForAnEarlierProcessWithTheSamePidIsAbandoned() throws Exception {
    try (AtomicOutput mine = AtomicOutput.beside(dir.resolve("mine.mp4"))) {
      String name = mine.temporary().getFileName().toString();
      String pid = Long.toString(ProcessHandle.current().pid());
      assertThat(name).contains(".spool-" + pid + "-");
      // The same pid, started at another time: a process before this one that had the pid.
      Path recycled = Files.createFile(dir.resolve(name.replaceFirst("\\.spool-" + pid + "-\\d+-", ".spool-" + pid + "-7-")));

      assertThat(AtomicOutput.removeAbandoned(dir)).isEqualTo(1);

      assertThat(recycled).doesNotExist();
      assertThat(mine.temporary()).exists();
    }
  }

  @Test
  void publishReplacingReplacesOnlyTheFileItWasGiven() throws Exception {
    Path target = Files.writeString(dir.resolve("out.mp4"), "judged\n");
    FileIdentity judged = FileIdentity.of(target).orElseThrow();
    try (AtomicOutput out = AtomicOutput.beside(target)) {
      Files.writeString(out.temporary(), "made again\n");
      out.publishReplacing(judged, "out.mp4");
    }
    assertThat(Files.readString(target)).isEqualTo("made again\n");

    // Replaced by another file, written again in place, or removed: each is left as it is.
    Path other = Files.writeString(dir.resolve(".other"), "another\n");
    Map<String, Runnable> changes = new LinkedHashMap<>();
    changes.put("replaced", () -> move(other, target));
    changes.put("written again", () -> write(target, "written again, longer\n"));
    changes.put("removed", () -> delete(target));
    for (Map.Entry<String, Runnable> change : changes.entrySet()) {
      if (!Files.exists(target)) {
        write(target, "judged\n");
      }
      FileIdentity before = FileIdentity.of(target).orElseThrow();
      change.getValue().run();
      String left = Files.exists(target) ? Files.readString(target) : null;
      try (AtomicOutput out = AtomicOutput.beside(target)) {
        Files.writeString(out.temporary(), "made again\n");
        assertThatThrownBy(() -> out.publishReplacing(before, "out.mp4")).as(change.getKey())
            .isInstanceOf(OutputExistsException.class).hasMessageContaining("output out.mp4 is no longer the file");
      }
      assertThat(Files.exists(target) ? Files.readString(target) : null).as(change.getKey()).isEqualTo(left);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void write(Path p, String content) {
    try {
      Files.writeString(p, content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
