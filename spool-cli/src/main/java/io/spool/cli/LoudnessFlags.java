package io.spool.cli;

import io.spool.media.audio.LoudnessTarget;
import picocli.CommandLine.Option;

/** The loudness target of {@code audio normalize} and {@code batch audio-normalize}. */
final class LoudnessFlags {
  @Option(names = "--target-i", defaultValue = "-16", paramLabel = "LUFS",
      description = "Integrated loudness, -70 to -5 LUFS (default: ${DEFAULT-VALUE}).")
  double targetI;

  @Option(names = "--target-tp", defaultValue = "-1.5", paramLabel = "dBTP",
      description = "Highest true peak, -9 to 0 dBTP (default: ${DEFAULT-VALUE}).")
  double targetTp;

  @Option(names = "--target-lra", defaultValue = "11", paramLabel = "LU",
      description = "Loudness range, 1 to 50 LU (default: ${DEFAULT-VALUE}).")
  double targetLra;

  LoudnessTarget target() {
    return new LoudnessTarget(targetI, targetTp, targetLra);
  }
}
