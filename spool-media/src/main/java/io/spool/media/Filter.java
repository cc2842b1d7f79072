package io.spool.media;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One filter in a chain: a name and its options in order, e.g.
 * {@code Filter.of("scale").with("w", 1280).with("h", 720)}. Option values are escaped for the
 * filter-graph syntax, so text from users (a drawtext string, a file name) stays text.
 *
 * <p>The one exception is a filter given as filter-graph text ({@link FilterChain#parse}, for a
 * user's own {@code --filter}): its {@code arguments} are kept as written, once they are checked to
 * be the arguments of this one filter and nothing more.
 *
 * @param arguments the filter's arguments as written in a filter graph; null for one built from options
 */
public record Filter(String name, Map<String, String> options, String arguments) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");

  public Filter {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new BadArgumentException("filter name must be lower-case letters, digits or '_': '" + name + "'");
    }
    options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    if (arguments != null) {
      if (!options.isEmpty()) {
        throw new IllegalArgumentException("a filter has options or written arguments, not both");
      }
      if (GraphText.split(arguments, ',').size() != 1) {
        throw new BadArgumentException("filter " + name + " has arguments that end the filter: '" + arguments + "'");
      }
    }
  }

  public Filter(String name, Map<String, String> options) {
    this(name, options, null);
  }

  public static Filter of(String name) {
    return new Filter(name, Map.of());
  }

  public Filter with(String key, Object value) {
    if (key == null || !NAME.matcher(key).matches()) {
      throw new BadArgumentException("filter option name is not valid: '" + key + "'");
    }
    if (arguments != null) {
      throw new IllegalStateException("filter " + name + " has written arguments; options cannot be added");
    }
    LinkedHashMap<String, String> copy = new LinkedHashMap<>(options);
    copy.put(key, String.valueOf(value));
    return new Filter(name, copy);
  }

  /** The filter in filter-graph syntax. */
  public String render() {
    if (arguments != null) {
      return arguments.isEmpty() ? name : name + "=" + arguments;
    }
    if (options.isEmpty()) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name).append('=');
    boolean first = true;
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (!first) {
        sb.append(':');
      }
      first = false;
      sb.append(e.getKey()).append('=').append(escape(e.getValue()));
    }
    return sb.toString();
  }

  /**
   * Two levels of escaping: the option value (quoted for the filter's own parser), then the
   * graph-level specials, as described in ffmpeg-filters "Notes on filtergraph escaping".
   */
  static String escape(String value) {
    if (value.matches("[A-Za-z0-9_.+\\-*/()]*")) {
      return value;
    }
    String level1 = "'" + value.replace("'", "'\\''") + "'";
    StringBuilder out = new StringBuilder();
    for (char c : level1.toCharArray()) {
      if ("\\'[],;".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
