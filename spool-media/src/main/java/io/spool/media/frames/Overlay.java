package io.spool.media.frames;

import io.spool.media.BadArgumentException;
import io.spool.media.FilterChain;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What to draw on every frame, in this order: a filter chain of the user's own, an image (a
 * watermark), then text. The text may hold {@code {frame}} (the frame's number, from 0) and
 * {@code {timecode}} (its time, {@code HH:MM:SS.mmm}); everything else in it is drawn as written.
 *
 * @param fontSize text height in pixels; null for a twentieth of the picture's height
 */
public record Overlay(FilterChain filters, Path image, Position imagePosition, String text, Position textPosition,
    Integer fontSize) {
  /** The longest text drawn. */
  public static final int MAX_TEXT = 1000;

  /** Where on the picture, with a margin. */
  public enum Position {
    TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT, CENTER;

    /** Accepts {@code top-left} and the like. */
    public static Position parse(String name) {
      try {
        return valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new BadArgumentException("position must be top-left, top-right, bottom-left, bottom-right or center, got '"
            + name + "'");
      }
    }
  }

  public Overlay {
    if ((filters == null || filters.isEmpty()) && image == null && (text == null || text.isEmpty())) {
      throw new BadArgumentException("give something to put on the frames: text, an image or a filter chain");
    }
    filters = filters == null ? FilterChain.EMPTY : filters;
    text = text == null || text.isEmpty() ? null : text;
    if (text != null && text.length() > MAX_TEXT) {
      throw new BadArgumentException("overlay text is at most " + MAX_TEXT + " characters, got " + text.length());
    }
    imagePosition = imagePosition == null ? Position.TOP_RIGHT : imagePosition;
    textPosition = textPosition == null ? Position.BOTTOM_LEFT : textPosition;
    if (fontSize != null && (fontSize < 4 || fontSize > 1000)) {
      throw new BadArgumentException("font size must be between 4 and 1000 pixels, got " + fontSize);
    }
  }

  /**
   * The text as drawtext expands it: {@code {frame}} and {@code {timecode}} become its
   * {@code %{frame_num}} and {@code %{pts:hms}}, and every other backslash and percent sign is
   * escaped for drawtext's own expansion, so that no other {@code %{...}} function can run. (The
   * quoting for the filter graph comes after, from {@link io.spool.media.Filter}.)
   */
  static String drawtextText(String template) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      if (template.startsWith("{frame}", i)) {
        sb.append("%{frame_num}");
        i += "{frame}".length() - 1;
      } else if (template.startsWith("{timecode}", i)) {
        sb.append("%{pts:hms}");
        i += "{timecode}".length() - 1;
      } else {
        char c = template.charAt(i);
        if (c == '\\' || c == '%') {
          sb.append('\\');
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
