package io.spool.transcribe;

import io.spool.media.BadArgumentException;
import java.util.Objects;

/**
 * A stretch of recognised speech: when it starts and ends in the media, in seconds, and what was said.
 */
public record Segment(double startSeconds, double endSeconds, String text) {
  public Segment {
    if (!(startSeconds >= 0)) {
      throw new BadArgumentException("segment start must be >= 0 s, got " + startSeconds);
    }
    if (!(endSeconds >= startSeconds)) {
      throw new BadArgumentException("segment end must not come before its start " + startSeconds + " s, got " + endSeconds);
    }
    text = Objects.requireNonNull(text, "text").strip();
  }

  /** The same segment {@code seconds} later in the media. */
  public Segment shifted(double seconds) {
    return new Segment(startSeconds + seconds, endSeconds + seconds, text);
  }
}
