package io.spool.media;

import java.util.regex.Pattern;

/**
 * One end of a link in a {@link FilterGraph}: a stream of an input ({@code [1:0]}, the second
 * input's first stream) or a label the graph names itself ({@code [ref]}). Also what an
 * {@link Output} maps.
 *
 * @param input the input's position on the command line, for a stream; null for a label
 * @param stream the stream's index in that input, for a stream; null for a label
 * @param label the label, for a label; null for a stream
 */
public record Pad(Integer input, Integer stream, String label) {
  private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_]*");

  public Pad {
    if (label == null) {
      if (input == null || stream == null || input < 0 || stream < 0) {
        throw new BadArgumentException("a stream pad needs an input and a stream index >= 0, got " + input + ":" + stream);
      }
    } else if (input != null || stream != null || !LABEL.matcher(label).matches()) {
      throw new BadArgumentException("a pad label must be lower-case letters, digits or '_', got '" + label + "'");
    }
  }

  /** Stream {@code stream} of input {@code input}. */
  public static Pad stream(int input, int stream) {
    return new Pad(input, stream, null);
  }

  /** A label of the graph's own. */
  public static Pad label(String label) {
    return new Pad(null, null, label);
  }

  public boolean isLabel() {
    return label != null;
  }

  /** As a filter graph writes it: {@code [0:3]} or {@code [ref]}. */
  public String render() {
    return "[" + mapSpecifier() + "]";
  }

  /** As {@code -map} takes it: {@code 0:3}, or {@code [ref]} for a graph's output. */
  String mapArgument() {
    return isLabel() ? render() : mapSpecifier();
  }

  private String mapSpecifier() {
    return isLabel() ? label : input + ":" + stream;
  }
}
