package io.spool.media;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to encode video: codec, speed preset, constant-quality factor, pixel format and
 * codec-private options (e.g. {@code row-mt=1} for VP9). Use {@link #newBuilder()}.
 */
public record VideoEncoding(
    String codec, String preset, Integer crf, String pixelFormat, Map<String, String> codecOptions) {

  public VideoEncoding {
    Arguments.token("video codec", codec);
    if (preset != null) {
      Arguments.token("preset", preset);
    }
    if (pixelFormat != null) {
      Arguments.token("pixel format", pixelFormat);
    }
    if (crf != null && (crf < 0 || crf > 63)) {
      throw new BadArgumentException("crf must be between 0 and 63, got " + crf);
    }
    codecOptions.forEach(Arguments::codecOption);
    codecOptions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(codecOptions));
  }

  /** The input's video packets as they are, not encoded again ({@code -c:v copy}). */
  public static VideoEncoding copy() {
    return newBuilder().codec("copy").build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.codec = codec;
    b.preset = preset;
    b.crf = crf;
    b.pixelFormat = pixelFormat;
    b.codecOptions.putAll(codecOptions);
    return b;
  }

  public static final class Builder {
    private String codec;
    private String preset;
    private Integer crf;
    private String pixelFormat;
    private final Map<String, String> codecOptions = new LinkedHashMap<>();

    private Builder() {}

    public Builder codec(String codec) {
      this.codec = codec;
      return this;
    }

    public Builder preset(String preset) {
      this.preset = preset;
      return this;
    }

    public Builder crf(Integer crf) {
      this.crf = crf;
      return this;
    }

    public Builder pixelFormat(String pixelFormat) {
      this.pixelFormat = pixelFormat;
      return this;
    }

    public Builder option(String name, String value) {
      codecOptions.put(name, value);
      return this;
    }

    public VideoEncoding build() {
      return new VideoEncoding(codec, preset, crf, pixelFormat, codecOptions);
    }
  }
}
