package io.spool.media;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A filter graph ({@code -filter_complex}): linear chains whose ends are joined by {@link Pad}s.
 * Every filter is a {@link Filter}, so values stay escaped; labels are checked to be produced once
 * and consumed at most once.
 */
public record FilterGraph(List<Chain> chains) {
  public static final FilterGraph EMPTY = new FilterGraph(List.of());

  /** One chain: its input pads, its filters, and the labels its outputs get. */
  public record Chain(List<Pad> inputs, FilterChain filters, List<Pad> outputs) {
    public Chain {
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
      if (filters == null || filters.isEmpty()) {
        throw new BadArgumentException("a filter graph chain needs at least one filter");
      }
      if (outputs.stream().anyMatch(p -> !p.isLabel())) {
        throw new BadArgumentException("a chain's outputs must be labels, got " + outputs);
      }
    }

    String render() {
      return inputs.stream().map(Pad::render).collect(Collectors.joining()) + filters.render()
          + outputs.stream().map(Pad::render).collect(Collectors.joining());
    }
  }

  public FilterGraph {
    chains = List.copyOf(chains);
    Set<String> produced = new HashSet<>();
    Set<String> consumed = new HashSet<>();
    for (Chain c : chains) {
      for (Pad p : c.inputs()) {
        if (p.isLabel() && !consumed.add(p.label())) {
          throw new BadArgumentException("filter graph label [" + p.label() + "] is read twice");
        }
      }
      for (Pad p : c.outputs()) {
        if (!produced.add(p.label())) {
          throw new BadArgumentException("filter graph label [" + p.label() + "] is made twice");
        }
      }
    }
    consumed.removeAll(produced);
    if (!consumed.isEmpty()) {
      throw new BadArgumentException("filter graph reads labels it never makes: " + consumed);
    }
  }

  /** This graph and one more chain. */
  public FilterGraph then(List<Pad> inputs, FilterChain filters, List<Pad> outputs) {
    List<Chain> copy = new ArrayList<>(chains);
    copy.add(new Chain(inputs, filters, outputs));
    return new FilterGraph(copy);
  }

  /** This graph and one more chain of one input and one output. */
  public FilterGraph then(Pad input, FilterChain filters, Pad output) {
    return then(List.of(input), filters, List.of(output));
  }

  public boolean isEmpty() {
    return chains.isEmpty();
  }

  public String render() {
    return chains.stream().map(Chain::render).collect(Collectors.joining(";"));
  }
}
