package io.spool.media.hls;

import io.spool.media.BadArgumentException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What an HLS ladder should hold. Start from {@link #newBuilder()}; everything has a default.
 *
 * @param heights the rungs' display heights in pixels, tallest first; a rung taller than the
 *     source is left out (see {@link #rungsFor})
 * @param segmentSeconds the target segment length (Apple's authoring guide suggests 6)
 * @param crf x264 quality override (lower is better); null keeps the web preset's
 * @param threads CPU threads ffmpeg may use; null lets ffmpeg choose
 * @param timeout end the work after this long; null means no limit
 * @param memoryLimitBytes end the work when ffmpeg's resident memory passes this; 0 = no limit
 */
public record HlsOptions(List<Integer> heights, double segmentSeconds, Integer crf, Integer threads, Duration timeout,
    long memoryLimitBytes) {
  public static final List<Integer> DEFAULT_LADDER = List.of(1080, 720, 480);
  public static final double DEFAULT_SEGMENT_SECONDS = 6;

  public HlsOptions {
    if (heights == null || heights.isEmpty()) {
      throw new BadArgumentException("a ladder needs at least one rung");
    }
    for (Integer h : heights) {
      if (h == null || h < 16 || h > 8640) {
        throw new BadArgumentException("ladder heights must be between 16 and 8640 pixels, got " + h);
      }
    }
    if (heights.stream().distinct().count() != heights.size()) {
      throw new BadArgumentException("ladder heights must differ, got " + heights);
    }
    heights = heights.stream().sorted(Comparator.reverseOrder()).toList();
    if (!(segmentSeconds >= 1 && segmentSeconds <= 60)) {
      throw new BadArgumentException("segment length must be between 1 and 60 seconds, got " + segmentSeconds);
    }
    if (crf != null && (crf < 0 || crf > 51)) {
      throw new BadArgumentException("crf for libx264 must be between 0 and 51, got " + crf);
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
  }

  /** A ladder as the CLI spells it: {@code 1080,720,480} (a trailing {@code p} is allowed). */
  public static List<Integer> parseLadder(String text) {
    List<Integer> heights = new ArrayList<>();
    for (String part : text.split(",")) {
      String t = part.strip().toLowerCase(Locale.ROOT);
      t = t.endsWith("p") ? t.substring(0, t.length() - 1) : t;
      try {
        heights.add(Integer.parseInt(t));
      } catch (NumberFormatException e) {
        throw new BadArgumentException("a ladder is heights separated by commas, like 1080,720,480; got '" + text + "'");
      }
    }
    return heights;
  }

  /**
   * The rungs to make from a source whose picture is {@code sourceHeight} pixels high: those no
   * taller than it, since upscaling only adds bytes; when none is, one rung at the source's own
   * height (made even, as H.264 in 4:2:0 needs).
   */
  public List<Integer> rungsFor(int sourceHeight) {
    List<Integer> kept = heights.stream().filter(h -> h <= sourceHeight).toList();
    return kept.isEmpty() ? List.of(Math.max(16, sourceHeight - sourceHeight % 2)) : kept;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().heights(heights).segmentSeconds(segmentSeconds).crf(crf).threads(threads).timeout(timeout)
        .memoryLimitBytes(memoryLimitBytes);
  }

  public static final class Builder {
    private List<Integer> heights = DEFAULT_LADDER;
    private double segmentSeconds = DEFAULT_SEGMENT_SECONDS;
    private Integer crf;
    private Integer threads;
    private Duration timeout;
    private long memoryLimitBytes;

    private Builder() {}

    public Builder heights(List<Integer> heights) {
      this.heights = heights;
      return this;
    }

    public Builder segmentSeconds(double seconds) {
      this.segmentSeconds = seconds;
      return this;
    }

    public Builder crf(Integer crf) {
      this.crf = crf;
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

    public HlsOptions build() {
      return new HlsOptions(heights, segmentSeconds, crf, threads, timeout, memoryLimitBytes);
    }
  }
}
