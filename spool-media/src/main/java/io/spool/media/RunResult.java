package io.spool.media;

import java.util.List;

/** A successful ffmpeg run: what it used and the last lines it logged. */
public record RunResult(Metrics metrics, List<String> stderrTail) {
  public RunResult {
    stderrTail = List.copyOf(stderrTail);
  }
}
