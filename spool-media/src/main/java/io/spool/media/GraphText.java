package io.spool.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Where filter-graph text is cut, read as ffmpeg's own parser reads it (its {@code av_get_token}):
 * a backslash takes the next character as it is, single quotes hold anything but a quote. The
 * parser itself is not reachable from Java; this needs only to find the separators.
 */
final class GraphText {
  private GraphText() {}

  /**
   * The parts of {@code text} between the separators {@code separator} that stand outside quotes
   * and escapes.
   *
   * @throws BadArgumentException for an unclosed quote, a trailing backslash, or a {@code ;},
   *     {@code [} or {@code ]} outside quotes (which would start another chain or name a link)
   */
  static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && !quoted) {
        if (i + 1 == text.length()) {
          throw new BadArgumentException("filter text ends in a lone backslash: '" + text + "'");
        }
        part.append(c).append(text.charAt(++i));
      } else if (c == '\'') {
        quoted = !quoted;
        part.append(c);
      } else if (!quoted && c == separator) {
        parts.add(part.toString());
        part.setLength(0);
      } else if (!quoted && (c == ';' || c == '[' || c == ']')) {
        throw new BadArgumentException("a filter chain is one chain of filters: '" + c + "' (which would start another"
            + " chain or name a link) is not allowed outside quotes in '" + text + "'");
      } else {
        part.append(c);
      }
    }
    if (quoted) {
      throw new BadArgumentException("filter text has an unclosed quote: '" + text + "'");
    }
    parts.add(part.toString());
    return parts;
  }
}
