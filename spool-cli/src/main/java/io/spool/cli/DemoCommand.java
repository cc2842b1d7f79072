package io.spool.cli;

import io.spool.engine.Resources;
import io.spool.engine.ResultsManifest;
import io.spool.engine.SpoolEngine;
import io.spool.engine.TranscodeBatch;
import io.spool.media.SampleMedia;
import io.spool.media.Toolchain;
import io.spool.media.TranscodeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spool demo}: makes a few sample clips and runs them as a batch through the embedded
 * engine, ending with the per-job table and the batch total. Needs no input.
 */
@Command(name = "demo", description = "Generate sample clips and transcode them as a batch on the embedded engine.")
final class DemoCommand extends SpoolSubcommand {
  /** Sample sizes: a mix, like a real upload folder. */
  private static final int[][] SIZES = {{1280, 720}, {640, 360}, {854, 480}, {720, 1280}};

  @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the samples and outputs (default: SPOOL_HOME/demo).")
  Path dir;

  @Option(names = "--seconds", defaultValue = "5", description = "Length of each sample (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Override
  public Integer call() {
    Toolchain tools = tools();
    Path folder = (dir != null ? dir : SpoolHome.dir().resolve("demo")).toAbsolutePath();
    Path in = folder.resolve("in");
    String out = folder.resolve("out").toString();
    if (!common.json && !common.quiet) {
      out().printf("making %d sample clips of %.0f s in %s%n", SIZES.length, seconds, in);
      out().flush();
    }
    List<TranscodeBatch.Item> items = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    TranscodeOptions web = TranscodeOptions.newBuilder().build();
    for (int[] s : SIZES) {
      Path clip = in.resolve("sample-" + s[0] + "x" + s[1] + ".mp4");
      SampleMedia.write(tools, clip, s[0], s[1], 30, seconds);
      items.add(new TranscodeBatch.Item(clip.toString(), TranscodeBatch.outputFor(clip.toString(), out, web, taken), web,
          Resources.DEFAULT, true)); // the demo's own outputs, remade on every run
    }
    long t0 = System.nanoTime();
    try (SpoolEngine engine = startEngine();
        TranscodeBatch.Run run = TranscodeBatch.start(engine, items, TranscodeBatch.resultsFile(engine, out), false, 0, true)) {
      if (!common.json && !common.quiet) {
        String cpus = run.handle().jobIds().stream().map(id -> String.valueOf(run.itemOf(id).resources().cpu()))
            .collect(Collectors.joining(", "));
        out().printf("engine started in %d ms; running %s (web preset, longest first, CPUs %s)%n",
            engine.startTime().toMillis(), Units.count(items.size(), "transcode job"), cpus);
        out().flush();
      }
      List<ResultsManifest.Line> lines = BatchProgress.drain(err(), BatchRun.of(run), items.size(), common);
      double wall = (System.nanoTime() - t0) / 1e9;
      print(lines, BatchReport.human(lines, 0, wall, run.resultsFile().toString()));
      return lines.stream().allMatch(ResultsManifest.Line::succeeded) ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }
}
