package io.spool.transcribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spool.media.testing.MediaFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeechPiecesTest {
  @TempDir Path dir;

  @Test
  void piecesAreCutAtThePauseNearestEachPlannedEndAndCoverTheWhole() {
    List<TranscribeOptions.Piece> pieces = SpeechPieces.cut(List.of(3.0, 8.5, 11.0, 19.0, 33.0, 41.0), 50, 10);

    assertThat(pieces).extracting(TranscribeOptions.Piece::startSeconds).containsExactly(0.0, 11.0, 19.0, 33.0, 41.0);
    assertThat(pieces.get(4).endSeconds()).isGreaterThanOrEqualTo(50);
    for (int i = 1; i < pieces.size(); i++) {
      assertThat(pieces.get(i).startSeconds()).isEqualTo(pieces.get(i - 1).endSeconds()); // end to end
    }
  }

  @Test
  void withoutAPauseNearItAPieceEndsWhereItWasPlanned() {
    assertThat(SpeechPieces.cut(List.of(), 35, 10)).extracting(TranscribeOptions.Piece::startSeconds)
        .containsExactly(0.0, 10.0, 20.0);
  }

  @Test
  void shortMediaIsOnePieceAndLongSpeechIsCutInItsPauses() {
    SpeechPieces one = SpeechPieces.plan(MediaFixtures.tools(), MediaFixtures.media("jfk.wav"), 10, dir, null);
    assertThat(one.pieces()).hasSize(1);
    assertThat(one.durationSeconds()).isEqualTo(11.0);

    SpeechPieces cut = SpeechPieces.plan(MediaFixtures.tools(), MediaFixtures.media("jfk.wav"), 5, dir, null);
    assertThat(cut.pieces()).hasSizeGreaterThan(1);
    // jfk.wav's pauses (silencedetect, -30 dB, 0.3 s): 2.29-2.86, 2.86-3.29, 4.43-4.91
    assertThat(cut.pieces().get(1).startSeconds()).isCloseTo(4.67, within(0.05));
  }

  /** Speech that goes on with no pause near a planned cut is cut in its quietest moment there, not mid-word. */
  @Test
  void withoutAPauseNearItAPieceIsCutInTheQuietestMomentNearby() {
    Path tone = dir.resolve("tone.wav");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "sine=f=300:d=30:sample_rate=44100",
        "-af", "volume='if(between(t,12.3,12.4),0.1,1)':eval=frame", tone.toString())); // a dip far too short for a pause

    SpeechPieces p = SpeechPieces.plan(MediaFixtures.tools(), tone, 10, dir, null);

    assertThat(p.pieces().get(1).startSeconds()).isCloseTo(12.35, within(0.06));
  }

  /** Planning decodes the whole audio outside any job: it has a deadline, and says what failed. */
  @Test
  void planningThatRunsPastItsDeadlineFailsSayingSo() {
    Path tone = dir.resolve("long.wav");
    MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "sine=f=300:d=1800:sample_rate=8000",
        tone.toString()));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SpeechPieces.plan(MediaFixtures.tools(), tone, 60, dir, java.time.Duration.ofMillis(50)))
        .isInstanceOfSatisfying(io.spool.media.SpoolException.class,
            e -> assertThat(e.code()).isEqualTo(io.spool.media.ErrorCode.TIMEOUT))
        .hasMessageContaining("cannot cut long.wav into pieces");
  }
}
