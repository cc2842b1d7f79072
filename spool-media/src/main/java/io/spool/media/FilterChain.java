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
