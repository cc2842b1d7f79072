package io.spool.media.frames;

/**
 * One decoded picture as packed RGB: {@code 3 * width * height} bytes, row by row from the top,
 * each pixel red, green, blue. The same object (and buffer) carries every frame of a run in turn:
 * copy what must outlive {@link FrameProcessor#process}.
 */
public final class VideoFrame {
  private final int width;
  private final int height;
  private final byte[] rgb;
  private long index;
  private double timeSeconds;

  VideoFrame(int width, int height) {
    this.width = width;
    this.height = height;
    this.rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
  }

  void at(long index, double timeSeconds) {
    this.index = index;
    this.timeSeconds = timeSeconds;
  }

  /** The frame's number, from 0. */
  public long index() {
    return index;
  }

  /** When it is shown, in seconds from the start. */
  public double timeSeconds() {
    return timeSeconds;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The pixels, which the processor may change in place. */
  public byte[] rgb() {
    return rgb;
  }

  /** The red, green and blue of the pixel at column {@code x}, row {@code y}, as {@code 0xRRGGBB}. */
  public int pixel(int x, int y) {
    int i = (y * width + x) * 3;
    return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
  }

  /** Sets the pixel at column {@code x}, row {@code y} to {@code 0xRRGGBB}. */
  public void pixel(int x, int y, int value) {
    int i = (y * width + x) * 3;
    rgb[i] = (byte) (value >> 16);
    rgb[i + 1] = (byte) (value >> 8);
    rgb[i + 2] = (byte) value;
  }
}
