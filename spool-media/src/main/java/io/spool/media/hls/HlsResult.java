package io.spool.media.hls;

import io.spool.media.Metrics;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished HLS ladder.
 *
 * @param folder where it was published
 * @param master the master playlist's file name in the folder
 * @param rungs tallest first, as the master lists them
 * @param dropped ladder heights left out because the source is not that tall
 * @param speed media seconds encoded per wall second (all rungs at once)
 * @param metrics what every process of the work used
 */
public record HlsResult(Path input, Path folder, String master, List<HlsRung> rungs, List<Integer> dropped,
    double durationSeconds, double speed, Metrics metrics) {
  public HlsResult {
    rungs = List.copyOf(rungs);
    dropped = List.copyOf(dropped);
  }
}
