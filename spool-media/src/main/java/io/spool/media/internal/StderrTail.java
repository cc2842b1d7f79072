package io.spool.media.internal;

import java.util.ArrayDeque;
import java.util.List;

/** Keeps the last lines a process wrote, bounded in count and length, for error reports. */
public final class StderrTail {
  private static final int MAX_LINE = 500;
  private final int capacity;
  private final ArrayDeque<String> lines;

  public StderrTail(int capacity) {
    this.capacity = capacity;
    this.lines = new ArrayDeque<>(capacity);
  }

  public synchronized void add(String line) {
    if (line.isBlank()) {
      return;
    }
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    lines.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line);
  }

  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
