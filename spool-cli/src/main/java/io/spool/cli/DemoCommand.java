package io.spool.cli;

import io.spool.media.Preset;
import io.spool.media.SampleMedia;
import io.spool.media.Toolchain;
import io.spool.media.TranscodeOptions;
import io.spool.media.TranscodeResult;
import io.spool.media.Transcoder;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spool demo}: makes a sample clip and runs the main job on it. Needs no input. */
@Command(name = "demo", description = "Generate a sample clip and transcode it with the web preset.")
final class DemoCommand extends SpoolSubcommand {
  @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the sample and its output (default: SPOOL_HOME/demo).")
  Path dir;

  @Option(names = "--seconds", defaultValue = "10", description = "Length of the sample (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Override
  public Integer call() {
    Toolchain tools = tools();
    Path folder = dir != null ? dir : SpoolHome.dir().resolve("demo");
    Path sample = folder.resolve("sample-720p.mp4");
    if (!common.json && !common.quiet) {
      out().printf("making a %.0f s 720p sample clip: %s%n", seconds, sample);
      out().flush();
    }
    SampleMedia.write(tools, sample, 1280, 720, 30, seconds);
    Path target = folder.resolve("sample-720p.web.mp4");
    ProgressBar bar = ProgressBar.forCommand(err(), "sample-720p.mp4", common);
    TranscodeResult result;
    try {
      result = Transcoder.using(tools).transcode(sample, target,
          TranscodeOptions.newBuilder().preset(Preset.WEB).build(), bar);
    } finally {
      bar.finish();
    }
    TranscodeSummary summary = TranscodeSummary.of(result);
    print(summary, summary.human());
    return ExitCodes.OK;
  }
}
