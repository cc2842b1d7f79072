package io.spool.transcribe.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * What a whisper.cpp ggml model file holds, read from its headers, and whether it is whole.
 * whisper.cpp's own loader does not check that what it reads is there: a file cut short in its
 * headers crashes the process that loads it (a C++ exception out of native code), and one cut
 * short in its vocabulary loads and then fails in recognition. So every model is walked here
 * first, header by header and tensor by tensor (their data is skipped, not read), and only a file
 * that holds all it announces goes to the native code.
 *
 * @param vocabulary tokens the model knows: 51864 for English-only models, more for multilingual ones
 * @param audioLayers encoder layers, which name the size (4 tiny, 6 base, 12 small, 24 medium, 32 large)
 * @param tensors weight tensors in the file; 0 for whisper.cpp's test models, which hold none
 */
public record GgmlModel(Path file, int vocabulary, int audioLayers, int melBands, int tensors, long sizeBytes) {
  private static final int MAGIC = 0x67676d6c; // "ggml", written little-endian
  /** Whisper's vocabularies: 51864 (English-only), 51865 (multilingual), 51866 (large-v3). */
  private static final int MIN_VOCABULARY = 51864;
  private static final int MAX_VOCABULARY = 51866;
  /** ggml tensor types a Whisper model may use: {type, elements per block, bytes per block}. */
  private static final Map<Integer, int[]> TYPES = Map.ofEntries(
      Map.entry(0, new int[] {1, 4}), // f32
      Map.entry(1, new int[] {1, 2}), // f16
      Map.entry(2, new int[] {32, 18}), // q4_0
      Map.entry(3, new int[] {32, 20}), // q4_1
      Map.entry(6, new int[] {32, 22}), // q5_0
      Map.entry(7, new int[] {32, 24}), // q5_1
      Map.entry(8, new int[] {32, 34}), // q8_0
      Map.entry(10, new int[] {256, 84}), // q2_k
      Map.entry(11, new int[] {256, 110}), // q3_k
      Map.entry(12, new int[] {256, 144}), // q4_k
      Map.entry(13, new int[] {256, 176}), // q5_k
      Map.entry(14, new int[] {256, 210})); // q6_k

  /** A file that is not a whole whisper.cpp model: why, in a few words. */
  public static final class Damaged extends Exception {
    private static final long serialVersionUID = 1L;

    Damaged(String why) {
      super(why);
    }
  }

  public boolean multilingual() {
    return vocabulary > MIN_VOCABULARY;
  }

  /** Whether the file holds weights: whisper.cpp's {@code for-tests-} models hold none and recognise nothing. */
  public boolean hasWeights() {
    return tensors > 0;
  }

  /** tiny, base, small, medium or large, by its encoder's depth; empty when it is none of these. */
  public Optional<String> size() {
    return Optional.ofNullable(switch (audioLayers) {
      case 4 -> "tiny";
      case 6 -> "base";
      case 12 -> "small";
      case 24 -> "medium";
      case 32 -> "large";
      default -> null;
    });
  }

  /** Reads and checks {@code file}. */
  public static GgmlModel read(Path file) throws Damaged, IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Reader r = new Reader(ch);
      if (ch.size() < 4 || r.int32("magic") != MAGIC) {
        throw new Damaged("not a ggml model file (it does not start with the ggml magic)");
      }
      int vocabulary = r.int32("n_vocab");
      int audioCtx = r.int32("n_audio_ctx");
      int audioState = r.int32("n_audio_state");
      int audioHead = r.int32("n_audio_head");
      int audioLayers = r.int32("n_audio_layer");
      int textCtx = r.int32("n_text_ctx");
      int textState = r.int32("n_text_state");
      int textHead = r.int32("n_text_head");
      int textLayers = r.int32("n_text_layer");
      int mels = r.int32("n_mels");
      r.int32("ftype");
      if (vocabulary < MIN_VOCABULARY || vocabulary > MAX_VOCABULARY) {
        throw new Damaged("its vocabulary of " + vocabulary + " tokens is not a Whisper vocabulary");
      }
      for (int v : new int[] {audioCtx, audioState, audioHead, audioLayers, textCtx, textState, textHead, textLayers}) {
        if (v < 1 || v > 1 << 16) {
          throw new Damaged("its hyper-parameters are out of range (" + v + ")");
        }
      }
      if (mels != 80 && mels != 128) {
        throw new Damaged("it asks for " + mels + " mel bands (Whisper uses 80 or 128)");
      }
      int filterMels = r.int32("mel filters");
      int filterFft = r.int32("mel filters");
      if (filterMels < 1 || filterMels > 1024 || filterFft < 1 || filterFft > 1 << 16) {
        throw new Damaged("its mel filter bank is " + filterMels + " x " + filterFft);
      }
      r.skip((long) filterMels * filterFft * 4, "mel filters");
      int words = r.int32("vocabulary");
      if (words < 1 || words > vocabulary) {
        throw new Damaged("its vocabulary section holds " + words + " words");
      }
      for (int i = 0; i < words; i++) {
        int len = r.int32("vocabulary");
        if (len < 0 || len > 1 << 10) {
          throw new Damaged("vocabulary word " + i + " claims " + len + " bytes");
        }
        r.skip(len, "vocabulary");
      }
      int tensors = 0;
      while (r.remaining() > 0) {
        int dims = r.int32("tensor header");
        int nameLength = r.int32("tensor header");
        int type = r.int32("tensor header");
        if (dims < 1 || dims > 4 || nameLength < 1 || nameLength > 256) {
          throw new Damaged("tensor " + tensors + " has a damaged header");
        }
        int[] traits = TYPES.get(type);
        if (traits == null) {
          throw new Damaged("tensor " + tensors + " is of unknown type " + type);
        }
        long elements = 1;
        for (int d = 0; d < dims; d++) {
          int n = r.int32("tensor header");
          if (n < 1) {
            throw new Damaged("tensor " + tensors + " has a dimension of " + n);
          }
          elements = Math.multiplyExact(elements, n);
        }
        if (elements % traits[0] != 0) {
          throw new Damaged("tensor " + tensors + " does not fill whole blocks of its type");
        }
        r.skip(nameLength, "tensor name");
        r.skip(elements / traits[0] * traits[1], "tensor data");
        tensors++;
      }
      return new GgmlModel(file, vocabulary, audioLayers, mels, tensors, ch.size());
    } catch (ArithmeticException e) {
      throw new Damaged("a tensor's size overflows");
    }
  }

  /** Little-endian reads that fail as {@link Damaged} where the file ends too soon. */
  private static final class Reader {
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long pos; // file position of buf's next byte

    Reader(FileChannel ch) throws IOException {
      this.ch = ch;
      buf.limit(0);
    }

    long remaining() throws IOException {
      return ch.size() - pos;
    }

    int int32(String what) throws IOException, Damaged {
      if (buf.remaining() < 4) {
        fill(what);
      }
      pos += 4;
      return buf.getInt();
    }

    void skip(long n, String what) throws IOException, Damaged {
      if (n > remaining()) {
        throw new Damaged("it ends in its " + what + " (" + ch.size() + " bytes: cut short)");
      }
      if (n <= buf.remaining()) {
        buf.position(buf.position() + (int) n);
      } else {
        buf.limit(0);
        ch.position(pos + n);
      }
      pos += n;
    }

    private void fill(String what) throws IOException, Damaged {
      buf.compact();
      ch.position(pos + buf.position());
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // read what there is
      }
      buf.flip();
      if (buf.remaining() < 4) {
        throw new Damaged("it ends in its " + what + " (" + ch.size() + " bytes: cut short)");
      }
    }
  }
}
