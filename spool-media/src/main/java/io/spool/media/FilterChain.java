package io.spool.media;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A linear chain of filters applied to one stream ({@code -vf} / {@code -af}). */
public record FilterChain(List<Filter> filters) {
  public static final FilterChain EMPTY = new FilterChain(List.of());

  public FilterChain {
    filters = List.copyOf(filters);
  }

  public static FilterChain of(Filter... filters) {
    return new FilterChain(List.of(filters));
  }

  /**
   * A linear chain written in ffmpeg's filter-graph syntax, such as {@code hflip,eq=contrast=1.2}:
   * filters separated by commas, each a name and, after {@code =}, its arguments as written.
   * Quotes and backslashes are read as ffmpeg reads them, so a comma inside a quoted value stays
   * in it. Text that would leave one chain (a {@code ;}, or a {@code [label]} outside quotes) is
   * refused: the chain is applied where Spool puts it, and joins nothing else.
   *
   * @throws BadArgumentException what is wrong with the text
   */
  public static FilterChain parse(String text) {
    if (text == null || text.isBlank()) {
      throw new BadArgumentException("a filter chain must name at least one filter");
    }
    List<Filter> filters = new ArrayList<>();
    for (String segment : GraphText.split(text, ',')) {
      String s = segment.strip();
      int eq = s.indexOf('=');
      String name = (eq < 0 ? s : s.substring(0, eq)).strip();
      if (!name.matches("[a-z0-9_]+")) {
        throw new BadArgumentException("'" + s + "' in the filter chain does not start with a filter name");
      }
      filters.add(new Filter(name, java.util.Map.of(), eq < 0 ? "" : s.substring(eq + 1)));
    }
    return new FilterChain(filters);
  }

  public FilterChain then(Filter f) {
    List<Filter> copy = new ArrayList<>(filters);
    copy.add(f);
    return new FilterChain(copy);
  }

  public boolean isEmpty() {
    return filters.isEmpty();
  }

  public String render() {
    return filters.stream().map(Filter::render).collect(Collectors.joining(","));
  }
}
