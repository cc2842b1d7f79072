package io.spool.transcribe.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * 16 kHz mono 16-bit audio read from a file in windows of at most {@code maxSeconds}, so that
 * memory stays the same whatever the length of the media. A window that the audio continues past
 * ends in the quietest tenth of a second of its last stretch, after {@code minSeconds}, which
 * keeps words from being cut in two.
 */
final class PcmWindows implements AutoCloseable {
  static final int RATE = 16_000;
  private static final int FRAME = RATE / 10;

  /** Samples (in [-1, 1]) starting {@code startSample} samples into the audio. */
  record Window(long startSample, float[] samples) {
    double startSeconds() {
      return startSample / (double) RATE;
    }

    double endSeconds() {
      return (startSample + samples.length) / (double) RATE;
    }
  }

  private final InputStream in;
  private final short[] buffer;
  private final int minSamples;
  private final byte[] bytes = new byte[1 << 15];
  private int filled;
  private long consumed;
  private boolean ended;

  PcmWindows(Path pcm, double minSeconds, double maxSeconds) throws IOException {
    this.in = new BufferedInputStream(Files.newInputStream(pcm), 1 << 16);
    this.buffer = new short[(int) (maxSeconds * RATE)];
    this.minSamples = (int) (minSeconds * RATE);
  }

  /** The next window, or null when the audio has ended. */
  Window next() throws IOException {
    fill();
    if (filled == 0) {
      return null;
    }
    int cut = ended ? filled : quietestPoint();
    float[] samples = new float[cut];
    for (int i = 0; i < cut; i++) {
      samples[i] = buffer[i] / 32768f;
    }
    System.arraycopy(buffer, cut, buffer, 0, filled - cut);
    filled -= cut;
    Window w = new Window(consumed, samples);
    consumed += cut;
    return w;
  }

  private void fill() throws IOException {
    int carry = 0; // a byte of a sample split between two reads
    boolean odd = false;
    while (filled < buffer.length && !ended) {
      int want = Math.min(bytes.length - (odd ? 1 : 0), (buffer.length - filled) * 2 - (odd ? 1 : 0));
      int n = in.read(bytes, odd ? 1 : 0, want);
      if (n < 0) {
        ended = true;
        break;
      }
      if (odd) {
        bytes[0] = (byte) carry;
        n++;
      }
      int whole = n & ~1;
      for (int i = 0; i < whole; i += 2) {
        buffer[filled++] = (short) ((bytes[i] & 0xff) | (bytes[i + 1] << 8));
      }
      odd = (n & 1) == 1;
      if (odd) {
        carry = bytes[n - 1];
      }
    }
    if (filled < buffer.length) {
      ended = true;
    }
  }

  /** The middle of the quietest frame between {@code minSamples} and the end of the buffer. */
  private int quietestPoint() {
    int best = filled;
    double quietest = Double.MAX_VALUE;
    for (int start = Math.min(minSamples, filled - FRAME); start + FRAME <= filled; start += FRAME / 2) {
      double energy = 0;
      for (int i = start; i < start + FRAME; i++) {
        energy += (double) buffer[i] * buffer[i];
      }
      if (energy < quietest) {
        quietest = energy;
        best = start + FRAME / 2;
      }
    }
    return best;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
