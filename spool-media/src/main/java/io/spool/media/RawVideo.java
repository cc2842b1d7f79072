package io.spool.media;

import java.util.Objects;

/**
 * Raw pictures through a pipe (ffmpeg's {@code rawvideo}): packed pixels of one size at a
 * constant rate, one frame after another with nothing between them.
 *
 * @param pixelFormat e.g. {@code rgb24} (3 bytes a pixel)
 */
public record RawVideo(int width, int height, String pixelFormat, Rational frameRate) {
  public RawVideo {
    if (width < 1 || height < 1 || width > 16384 || height > 16384) {
      throw new BadArgumentException("raw video must be 1x1 to 16384x16384, got " + width + "x" + height);
    }
    Arguments.token("pixel format", pixelFormat);
    Objects.requireNonNull(frameRate, "frameRate");
    if (!frameRate.isKnown() || frameRate.numerator() <= 0) {
      throw new BadArgumentException("raw video needs a frame rate, got " + frameRate);
    }
  }

  /** The size as ffmpeg's {@code -s} takes it. */
  String size() {
    return width + "x" + height;
  }

  /** The rate as ffmpeg takes it, e.g. {@code 30000/1001}. */
  String rate() {
    return frameRate.numerator() + "/" + frameRate.denominator();
  }
}
