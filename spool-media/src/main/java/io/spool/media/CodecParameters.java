package io.spool.media;

/**
 * One stream's codec parameters as ffprobe reports them (see {@link FFprobe#codecParameters}).
 *
 * @param profile ffprobe's name for the codec profile, e.g. {@code High} or {@code LC}; null if none
 * @param width 0 for streams without a picture (with {@code height})
 * @param extradata the codec configuration ffmpeg keeps (for H.264 its parameter sets); empty if none
 */
public record CodecParameters(int index, StreamType type, String codec, String profile, int width, int height,
    byte[] extradata) {
  public CodecParameters {
    extradata = extradata.clone();
  }

  @Override
  public byte[] extradata() {
    return extradata.clone();
  }
}
