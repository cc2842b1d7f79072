package io.spool.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
