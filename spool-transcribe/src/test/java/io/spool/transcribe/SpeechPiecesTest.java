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
}
