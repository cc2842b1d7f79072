package io.spool.media.thumbnails;

import io.spool.media.BadArgumentException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Which thumbnails to make and how. Exactly one way of choosing the times: {@code count} evenly
 * spaced (each in the middle of its share of the video), {@code at} given times, or {@code every}
 * so many seconds from the start. Start from {@link #newBuilder()}; the default is 10 evenly spaced.
 *
 * @param width thumbnail width in pixels; the height keeps the picture's shape (even)
 * @param format {@code jpg} or {@code png}, for the thumbnails, the poster and the sprite
 * @param sprite also make a sprite sheet, which the WebVTT track then points into
 * @param method how frames are found: by seeking to each time, by one pass, or the cheaper one
 * @param threads ffmpeg's threads; null lets ffmpeg choose
 * @param timeout for all of it; null for no limit
 */
public record ThumbnailOptions(
    Integer count, List<Double> at, Double every, int width, String format, boolean sprite, Method method,
    Integer threads, Duration timeout) {
  /** The most thumbnails one job makes. */
  public static final int MAX_THUMBNAILS = 1000;

  /** How the frames at the chosen times are found. */
  public enum Method {
    /** {@link #SEEK} or {@link #SCAN}, whichever decodes less for this input and these times. */
    AUTO,
    /** Seek to each time (from the keyframe before it) and decode from there. */
    SEEK,
    /** Decode once from the start up to the last time, taking the frame at each time on the way. */
    SCAN;

    public static Method parse(String name) {
      try {
        return valueOf(name.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new BadArgumentException("thumbnail method must be auto, seek or scan, got '" + name + "'");
      }
    }
  }

  public ThumbnailOptions {
    int ways = (count != null ? 1 : 0) + (at != null && !at.isEmpty() ? 1 : 0) + (every != null ? 1 : 0);
    if (ways == 0) {
      count = 10;
    } else if (ways > 1) {
      throw new BadArgumentException("choose thumbnail times one way: a count, given times or an interval");
    }
    if (count != null && (count < 1 || count > MAX_THUMBNAILS)) {
      throw new BadArgumentException("thumbnail count must be between 1 and " + MAX_THUMBNAILS + ", got " + count);
    }
    at = at == null ? List.of() : List.copyOf(at);
    for (double t : at) {
      if (!(t >= 0) || !Double.isFinite(t)) {
        throw new BadArgumentException("thumbnail times must be seconds >= 0, got " + t);
      }
    }
    if (at.size() > MAX_THUMBNAILS) {
      throw new BadArgumentException("at most " + MAX_THUMBNAILS + " thumbnail times, got " + at.size());
    }
    if (every != null && !(every >= 0.01 && Double.isFinite(every))) {
      throw new BadArgumentException("thumbnail interval must be at least 0.01 s, got " + every);
    }
    if (width < 16 || width > 7680) {
      throw new BadArgumentException("thumbnail width must be between 16 and 7680 pixels, got " + width);
    }
    format = format == null ? "jpg" : format.strip().toLowerCase(Locale.ROOT);
    if (format.equals("jpeg")) {
      format = "jpg";
    }
    if (!format.equals("jpg") && !format.equals("png")) {
      throw new BadArgumentException("thumbnail format must be jpg or png, got '" + format + "'");
    }
    method = method == null ? Method.AUTO : method;
    if (threads != null && threads < 1) {
      throw new BadArgumentException("threads must be >= 1, got " + threads);
    }
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().count(count).at(at.isEmpty() ? null : at).every(every).width(width).format(format).sprite(sprite)
        .method(method).threads(threads).timeout(timeout);
  }

  public static final class Builder {
    private Integer count;
    private List<Double> at;
    private Double every;
    private int width = 320;
    private String format = "jpg";
    private boolean sprite;
    private Method method = Method.AUTO;
    private Integer threads;
    private Duration timeout;

    private Builder() {}

    public Builder count(Integer count) {
      this.count = count;
      return this;
    }

    public Builder at(List<Double> times) {
      this.at = times;
      return this;
    }

    public Builder every(Double seconds) {
      this.every = seconds;
      return this;
    }

    public Builder width(int width) {
      this.width = width;
      return this;
    }

    public Builder format(String format) {
      this.format = format;
      return this;
    }

    public Builder sprite(boolean sprite) {
      this.sprite = sprite;
      return this;
    }

    public Builder method(Method method) {
      this.method = method;
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

    public ThumbnailOptions build() {
      return new ThumbnailOptions(count, at, every, width, format, sprite, method, threads, timeout);
    }
  }
}
