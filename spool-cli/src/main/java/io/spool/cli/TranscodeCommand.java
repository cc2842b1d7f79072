package io.spool.cli;

import io.spool.media.Preset;
import io.spool.media.TranscodeOptions;
import io.spool.media.TranscodeResult;
import io.spool.media.Transcoder;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool transcode IN [OUT]}. */
@Command(name = "transcode", description = "Transcode one file with a preset; the output appears only when it is complete and valid.")
final class TranscodeCommand extends SpoolSubcommand {
  @Parameters(index = "0", paramLabel = "IN", description = "Input media file.")
  Path input;

  @Parameters(index = "1", arity = "0..1", paramLabel = "OUT",
      description = "Output file (default: IN's name with .PRESET.EXT, beside it).")
  Path output;

  @Mixin TranscodeFlags flags;

  @Option(names = "--threads", paramLabel = "N", description = "CPU threads for ffmpeg (the job's CPU allowance).")
  Integer threads;

  @Option(names = "--timeout", paramLabel = "D", converter = Units.DurationConverter.class,
      description = "End the job after this long, e.g. 90s, 10m.")
  Duration timeout;

  @Override
  public Integer call() {
    TranscodeOptions options = flags.options().threads(threads).timeout(timeout).build();
    Preset p = options.preset();
    Path out = output != null ? output : defaultOutput(input, p);
    ProgressBar bar = ProgressBar.forCommand(err(), String.valueOf(input.getFileName()), common);
    TranscodeResult result;
    try {
      result = Transcoder.using(tools()).transcode(input, out, options, bar);
    } finally {
      bar.finish();
    }
    TranscodeSummary summary = TranscodeSummary.of(result);
    print(summary, summary.human());
    return ExitCodes.OK;
  }

  static Path defaultOutput(Path in, Preset p) {
    return in.toAbsolutePath().resolveSibling(p.outputName(in.getFileName().toString()));
  }
}
