package io.spool.media;

import java.time.Duration;

/**
 * What a transcode should produce. Start from {@link #newBuilder()}; everything but the preset is
 * optional.
 *
 * @param height target display height in pixels; never upscaled unless {@code allowUpscale}
 * @param crf quality override on the codec's own scale (lower is better)
 * @param videoCodec encoder override, e.g. {@code libx265}; null keeps the preset's
 * @param audioBitrateKbps audio bit rate override in kbit/s
 * @param threads CPU threads ffmpeg may use (the job's CPU allowance); null lets ffmpeg choose
 * @param timeout end the job after this long; null means no limit
 * @param memoryLimitBytes end the job when ffmpeg's resident memory passes this; 0 = no limit
 */
public record TranscodeOptions(
    Preset preset,
    Integer height,
    boolean allowUpscale,
    Integer crf,
    String videoCodec,
    Integer audioBitrateKbps,
    Integer threads,
    Duration timeout,
    long memoryLimitBytes) {

  public TranscodeOptions {
    if (preset == null) {
      preset = Preset.WEB;
    }
    if (height != null && (height < 16 || height > 8640)) {
      throw new BadArgumentException("height must be between 16 and 8640 pixels, got " + height);
    }
    if (threads != null && (threads < 1 || threads > 256)) {
      throw new BadArgumentException("threads must be between 1 and 256, got " + threads);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new BadArgumentException("timeout must be positive, got " + timeout);
    }
    if (memoryLimitBytes < 0) {
      throw new BadArgumentException("memory limit must be >= 0, got " + memoryLimitBytes);
    }
    // Resolve now so that a bad codec or crf fails before any work starts.
    VideoCodecs.resolve(preset, videoCodec, crf);
    if (audioBitrateKbps != null) {
      preset.audio().withBitrate(audioBitrateKbps);
    }
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().preset(preset).height(height).allowUpscale(allowUpscale).crf(crf)
        .videoCodec(videoCodec).audioBitrateKbps(audioBitrateKbps).threads(threads).timeout(timeout)
        .memoryLimitBytes(memoryLimitBytes);
  }

  /** The video encoding after overrides. */
  public VideoEncoding videoEncoding() {
    return VideoCodecs.resolve(preset, videoCodec, crf);
  }

  /** The audio encoding after overrides. */
  public AudioEncoding audioEncoding() {
    return audioBitrateKbps == null ? preset.audio() : preset.audio().withBitrate(audioBitrateKbps);
  }

  public static final class Builder {
    private Preset preset = Preset.WEB;
    private Integer height;
    private boolean allowUpscale;
    private Integer crf;
    private String videoCodec;
    private Integer audioBitrateKbps;
    private Integer threads;
    private Duration timeout;
    private long memoryLimitBytes;

    private Builder() {}

    public Builder preset(Preset preset) {
      this.preset = preset;
      return this;
    }

    public Builder height(Integer height) {
      this.height = height;
      return this;
    }

    public Builder allowUpscale(boolean allow) {
      this.allowUpscale = allow;
      return this;
    }

    public Builder crf(Integer crf) {
      this.crf = crf;
      return this;
    }

    public Builder videoCodec(String codec) {
      this.videoCodec = codec;
      return this;
    }

    public Builder audioBitrateKbps(Integer kbps) {
      this.audioBitrateKbps = kbps;
      return this;
    }

    public Builder threads(Integer threads) {
      this.threads = threads;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder memoryLimitBytes(long bytes) {
      this.memoryLimitBytes = bytes;
      return this;
    }

    public TranscodeOptions build() {
      return new TranscodeOptions(preset, height, allowUpscale, crf, videoCodec, audioBitrateKbps,
          threads, timeout, memoryLimitBytes);
    }
  }
}
