package io.spool.transcribe;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.engine.EngineConfig;
import io.spool.engine.JobHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobState;
import io.spool.engine.Resources;
import io.spool.engine.SpoolEngine;
import io.spool.media.CancelledException;
import io.spool.media.Progress;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancelling a Whisper transcription stops whisper.cpp at the end of the window under way (native
 * code does not see an interrupt), not at the end of the media. The weightless test model still
 * runs Whisper's whole encoder on every window, so a long input takes long enough to cancel.
 */
class CancelTest {
  /** Four minutes of sound: eight or more Whisper windows. */
  private static final double SECONDS = 240;

  @TempDir static Path shared;
  static Path longAudio;

  @TempDir Path dir;

  @BeforeAll
  static void makeLongAudio() {
    longAudio = shared.resolve("long.wav");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
        "sine=frequency=220:sample_rate=16000:duration=" + SECONDS, "-ac", "1", longAudio.toString()));
  }

  private static TranscribeOptions stub() {
    return TranscribeOptions.newBuilder().engine(SpeechEngine.WHISPER)
        .model(MediaFixtures.testModel("for-tests-ggml-tiny.en.bin")).threads(2).build();
  }

  @Test
  void anInterruptStopsWhisperAtTheEndOfTheWindowUnderWay() throws Exception {
    AtomicReference<Progress> latest = new AtomicReference<>();
    AtomicReference<Thread> worker = new AtomicReference<>();
    Transcriber t = Transcriber.using(MediaFixtures.tools(), WhisperModels.in(dir, Map.of()));
    CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
      worker.set(Thread.currentThread());
      try {
        t.transcribe(longAudio, dir, stub(), latest::set);
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    }, r -> new Thread(r, "transcribe").start());

    // The first window is done once the fraction passes the share of the audio's extraction.
    Eventually.await(Duration.ofSeconds(60), "a Whisper window done", latest::get, p -> p != null && p.fraction() > 0.1);
    long t0 = System.nanoTime();
    worker.get().interrupt();
    Throwable e = ended.get(30, java.util.concurrent.TimeUnit.SECONDS);
    double stopSeconds = (System.nanoTime() - t0) / 1e9;

    assertThat(e).isInstanceOf(CancelledException.class).hasMessageContaining("whisper.cpp stopped after");
    assertThat(latest.get().fraction()).isLessThan(0.9); // not at the end of the media
    // At most the rest of one window of 30 s, at the pace the windows before it went (and some slack).
    double windowSeconds = 30 / latest.get().speed();
    assertThat(stopSeconds).isLessThan(2 * windowSeconds + 2);
  }

  @Test
  void aCancelledTranscribeJobEndsSoonAndPublishesNothing() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    try (SpoolEngine engine = SpoolEngine.embedded(EngineConfig.newBuilder(dir.resolve("home"))
        .jobType(new TranscribeJob(dir.resolve("models"))).build())) {
      JobHandle job = engine.spawn(TranscribeJob.spec(longAudio.toString(),
          Map.of(TranscriptFormat.SRT, out.resolve("long.srt").toString()), null, stub(),
          Resources.newBuilder().cpu(2).build(), false));
      Eventually.await(Duration.ofSeconds(60), "the job under way in Whisper",
          () -> job.progress().map(p -> p.fraction()).orElse(0.0), f -> f > 0.1);
      long t0 = System.nanoTime();
      job.cancel();
      JobOutcome o = job.result();
      double stopSeconds = (System.nanoTime() - t0) / 1e9;

      assertThat(o.state()).isEqualTo(JobState.CANCELLED);
      assertThat(stopSeconds).isLessThan(20);
      try (Stream<Path> s = Files.list(out)) {
        assertThat(s.toList()).isEmpty(); // no transcript, no temporary file
      }
    }
  }
}
