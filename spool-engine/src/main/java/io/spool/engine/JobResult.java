package io.spool.engine;

import io.spool.media.Metrics;
import java.util.List;
import java.util.Map;

/**
 * What one successful attempt produced.
 *
 * @param outputs where the results were published
 * @param metrics resources the ffmpeg processes used (summed over the attempt)
 * @param mediaSeconds media duration processed, for speed (0 when not applicable)
 * @param details small extra facts for the record (codec used, fallback notes)
 */
public record JobResult(List<String> outputs, Metrics metrics, double mediaSeconds, Map<String, String> details) {
  public JobResult {
    outputs = List.copyOf(outputs);
    details = Map.copyOf(details);
  }
}
