package io.spool.transcribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import io.spool.media.testing.MediaFixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which model files go to whisper.cpp: only those whose headers it is known to load safely. */
class WhisperModelsTest {
  /** Byte offsets of the header fields in a ggml Whisper file (after the 4-byte magic). */
  private static final int N_AUDIO_STATE = 12;
  private static final int N_AUDIO_LAYER = 20;
  private static final int FTYPE = 44;

  @TempDir Path folder;

  private static Path stub() {
    return MediaFixtures.testModel("for-tests-ggml-tiny.en.bin");
  }

  /** The test model with the 32-bit field at {@code offset} set to {@code value}. */
  private Path stubWith(String name, int offset, int value) throws Exception {
    byte[] bytes = Files.readAllBytes(stub());
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
    return Files.write(folder.resolve(name), bytes);
  }

  /**
   * whisper.cpp aborts the whole process (a failed assertion in ggml) on an ftype it does not know,
   * and sizes its buffers from the header of a model with no weights: such files must never reach it.
   */
  @Test
  void aModelWithAnUnknownFtypeOrAnAlteredTestHeaderIsRefusedBeforeNativeCode() throws Exception {
    Map<String, Path> bad = Map.of(
        "unknown ftype 5", stubWith("ftype5.bin", FTYPE, 5),
        "unknown ftype 99", stubWith("ftype99.bin", FTYPE, 99),
        "negative ftype", stubWith("ftype-neg.bin", FTYPE, -1),
        "weightless with a huge encoder", stubWith("layers.bin", N_AUDIO_LAYER, 60_000),
        "weightless with another width", stubWith("state.bin", N_AUDIO_STATE, 512));
    WhisperModels models = WhisperModels.in(folder, Map.of());
    for (Map.Entry<String, Path> b : bad.entrySet()) {
      assertThatThrownBy(() -> models.require(b.getValue())).as(b.getKey())
          .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT))
          .hasMessageContaining(b.getValue().toString())
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
    assertThat(models.require(stub()).hasWeights()).isFalse(); // the test model itself still loads
  }

  /** A folder holding only the weightless test model offers no model; named, it still runs (tests, wiring checks). */
  @Test
  void theWeightlessTestModelIsNeverChosenFromTheModelsFolderOnlyWhenNamed() throws Exception {
    Path inFolder = Files.copy(stub(), folder.resolve("ggml-tiny.en.bin"));
    WhisperModels models = WhisperModels.in(folder, Map.of());

    assertThat(models.chosen()).isEmpty();
    assertThatThrownBy(() -> models.require(null))
        .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT))
        .hasMessageContaining("no Whisper model").hasMessageContaining("test model");
    assertThat(models.require(inFolder).file()).isEqualTo(inFolder);
    assertThat(WhisperModels.in(folder, Map.of(WhisperModels.ENV, inFolder.toString())).require(null).file())
        .isEqualTo(inFolder);
    // What doctor shows of it says so.
    assertThat(models.list()).singleElement().satisfies(f -> assertThat(f.kind()).contains("never chosen"));
  }
}
