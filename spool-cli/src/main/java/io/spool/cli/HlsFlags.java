package io.spool.cli;

import io.spool.media.hls.HlsOptions;
import picocli.CommandLine.Option;

/** The ladder and segments of {@code hls} and {@code batch hls}. */
final class HlsFlags {
  @Option(names = "--ladder", defaultValue = "1080,720,480", paramLabel = "H,H,...",
      description = "Rung heights in pixels (default: ${DEFAULT-VALUE}); none is taller than the input.")
  String ladder;

  @Option(names = "--segment-seconds", defaultValue = "6", paramLabel = "S",
      description = "Target segment length in seconds (default: ${DEFAULT-VALUE}).")
  double segmentSeconds;

  @Option(names = "--crf", paramLabel = "N", description = "x264 quality of every rung (lower is better; default 23).")
  Integer crf;

  HlsOptions options() {
    return HlsOptions.newBuilder().heights(HlsOptions.parseLadder(ladder)).segmentSeconds(segmentSeconds).crf(crf).build();
  }
}
