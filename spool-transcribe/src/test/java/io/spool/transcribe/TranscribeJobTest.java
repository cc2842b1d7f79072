package io.spool.transcribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.engine.JobContext;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobResult;
import io.spool.engine.JobSpec;
import io.spool.engine.JobState;
import io.spool.engine.Resources;
import io.spool.media.OutputExistsException;
import io.spool.media.Progress;
import io.spool.media.Toolchain;
import io.spool.media.testing.MediaFixtures;
import io.spool.volumes.LocalVolume;
import io.spool.volumes.Volume;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transcribe job run as a worker runs it, on local files. */
class TranscribeJobTest {
  @TempDir Path dir;
  @TempDir Path scratch;

  private static TranscribeOptions stub() {
    return TranscribeOptions.newBuilder().engine(SpeechEngine.WHISPER)
        .model(MediaFixtures.testModel("for-tests-ggml-tiny.en.bin")).build();
  }

  /** What a worker gives a job, on this host's files; {@code onProgress} sees the job's progress. */
  private JobContext context(Consumer<Progress> onProgress) {
    return new JobContext() {
      @Override
      public String jobId() {
        return "test-job";
      }

      @Override
      public int attempt() {
        return 1;
      }

      @Override
      public Resources resources() {
        return Resources.newBuilder().cpu(2).build();
      }

      @Override
      public Toolchain tools() {
        return MediaFixtures.tools();
      }

      @Override
      public Path scratch() {
        return scratch;
      }

      @Override
      public Duration remaining() {
        return Duration.ofMinutes(5);
      }

      @Override
      public Path input(String ref) {
        return Path.of(ref);
      }

      @Override
      public Volume.Write output(String ref) {
        return LocalVolume.writeFile(Path.of(ref));
      }

      @Override
      public Volume.Write outputFolder(String ref) {
        return LocalVolume.writeFolder(Path.of(ref));
      }

      @Override
      public boolean exists(String ref) {
        return Files.exists(Path.of(ref), LinkOption.NOFOLLOW_LINKS);
      }

      @Override
      public boolean remove(String ref) {
        try {
          return Files.deleteIfExists(Path.of(ref));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      @Override
      public java.util.Optional<Path> localFile(String ref) {
        return java.util.Optional.of(Path.of(ref));
      }

      @Override
      public boolean publishedByThisJob(String ref) {
        return false;
      }

      @Override
      public void progress(Progress progress) {
        onProgress.accept(progress);
      }

      @Override
      public boolean gpuEncodeAvailable() {
        return false;
      }
    };
  }

  private List<String> filesIn(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * A file that appears at one output's place while the job runs stops the publish: then none of
   * the outputs is published, not even those before it, and the file that appeared is left as it is.
   */
  @Test
  void whenOneOutputCannotBePublishedNoneIs() throws Exception {
    Path in = Files.copy(MediaFixtures.media("jfk.wav"), dir.resolve("jfk.wav"));
    Path txt = dir.resolve("jfk.txt");
    Path srt = dir.resolve("jfk.srt");
    Map<TranscriptFormat, String> outputs = new LinkedHashMap<>();
    outputs.put(TranscriptFormat.TXT, txt.toString());
    outputs.put(TranscriptFormat.VTT, dir.resolve("jfk.vtt").toString());
    outputs.put(TranscriptFormat.SRT, srt.toString());
    JobSpec spec = TranscribeJob.spec(in.toString(), outputs, null, stub(), Resources.DEFAULT, false);
    JobContext ctx = context(p -> {
      if (p.done()) {
        try {
          Files.writeString(srt, "someone else's subtitles");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });

    assertThatThrownBy(() -> new TranscribeJob(dir.resolve("models")).run(ctx, spec.params()))
        .isInstanceOf(OutputExistsException.class).hasMessageContaining(srt.toString());

    assertThat(filesIn(dir)).containsExactly("jfk.srt", "jfk.wav"); // no txt, no vtt, no temporary file
    assertThat(srt).hasContent("someone else's subtitles");
  }

  /**
   * A piece's transcript goes to a file in the work folder; the join job carries only references
   * to those files, however long the transcripts, and writes the outputs from them.
   */
  @Test
  void piecesHandTheirTranscriptsToTheJoinByFileNotThroughTheEngine() throws Exception {
    Path in = Files.copy(MediaFixtures.media("jfk.wav"), dir.resolve("jfk.wav"));
    Path work = Files.createDirectories(dir.resolve("work"));
    SpeechPieces pieces = SpeechPieces.plan(MediaFixtures.tools(), in, 5, scratch, null);
    TranscribeOptions pocketsphinx = TranscribeOptions.newBuilder().engine(SpeechEngine.POCKETSPHINX).build();
    List<String> files = new ArrayList<>();
    List<JobOutcome> done = new ArrayList<>();
    for (int i = 0; i < pieces.pieces().size(); i++) {
      String file = work.resolve("piece-" + i + ".json").toString();
      JobSpec piece = TranscribeJob.pieceSpec(in.toString(), pocketsphinx.toBuilder().piece(pieces.pieces().get(i)).build(),
          file, Resources.DEFAULT);
      JobResult r = new TranscribeJob(dir.resolve("models")).run(context(p -> {}), piece.params());
      assertThat(Path.of(file)).isRegularFile();
      files.add(file);
      done.add(new JobOutcome("piece-" + i, null, i, TranscribeJob.NAME, in.toString(), file, JobState.SUCCEEDED, null, null,
          1, null, null, r.metrics(), r.mediaSeconds(), null, r.details(), null));
    }
    Path srt = dir.resolve("jfk.srt");
    JobSpec join = TranscribeJob.joinedSpec(in.toString(), Map.of(TranscriptFormat.SRT, srt.toString()), null, pieces, files,
        done, pocketsphinx, Resources.DEFAULT, false);

    List<String> heard = done.stream().map(o -> o.details().get("text")).filter(t -> !t.isEmpty()).toList();
    assertThat(heard).isNotEmpty();
    assertThat(join.params().toString()).contains(files.get(0));
    assertThat(heard).allSatisfy(text -> assertThat(join.params().toString()).doesNotContain(text));
    JobResult joined = new TranscribeJob(dir.resolve("models")).run(context(p -> {}), join.params());
    assertThat(joined.details().get("text")).isEqualTo(String.join(" ", heard));
    assertThat(Files.readString(srt)).contains(heard.get(0).split(" ")[0]).startsWith("1\n");
  }

  /** A piece job on a worker loads its Whisper model whole: its declared memory holds it. */
  @Test
  void pieceJobsDeclareTheMemoryTheirWhisperModelNeeds() throws Exception {
    Path large = dir.resolve("ggml-large-v3.bin");
    try (RandomAccessFile f = new RandomAccessFile(large.toFile(), "rw")) {
      f.setLength(3L << 30); // as large as large-v3, without taking the disk
    }
    TranscribeOptions options = TranscribeOptions.newBuilder().model(large).piece(new TranscribeOptions.Piece(0, 600)).build();

    JobSpec piece = TranscribeJob.pieceSpec("in.wav", options, dir.resolve("piece-1.json").toString(),
        Resources.newBuilder().cpu(1).build());

    assertThat(piece.resources().memoryMiB()).isGreaterThanOrEqualTo(3 * 1024 + TranscribeJob.BASE_MEMORY_MIB);
  }
}
