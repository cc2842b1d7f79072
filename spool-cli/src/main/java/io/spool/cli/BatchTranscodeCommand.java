package io.spool.cli;

import io.spool.engine.ResultsManifest;
import io.spool.engine.Resources;
import io.spool.engine.SpoolEngine;
import io.spool.engine.TranscodeBatch;
import io.spool.media.BadArgumentException;
import io.spool.media.Preset;
import io.spool.media.TranscodeOptions;
import io.spool.volumes.VolumePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool batch transcode INPUTS... --out DIR|VOLUME:PATH}. */
@Command(name = "transcode", description = {
    "Transcode many inputs on the embedded engine: bounded concurrency, retries, a results manifest,",
    "and --resume after an interruption. One failure never stops the batch; exit 1 if any item failed."})
final class BatchTranscodeCommand extends SpoolSubcommand {
  @Parameters(arity = "0..*", paramLabel = "INPUT", description = "Files, folders, globs or VOLUME:path.")
  List<String> inputs = List.of();

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "CSV (with header) or JSON lines: input[,output,preset,height,crf,video_codec,audio_bitrate].")
  Path manifest;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR|VOLUME:PATH", description = "Where outputs go.")
  String out;

  @Mixin TranscodeFlags flags;

  @Mixin JobFlags job;

  @Option(names = "--concurrency", defaultValue = "0", description = "Jobs at once (default: as many as the cores allow).")
  int concurrency;

  @Option(names = "--resume", description = "Skip items an earlier run of this batch finished; redo the rest.")
  boolean resume;

  @Mixin ServiceOptions service;

  @Option(names = "--detach", description = {"Submit to the shared service, print the batch id and return; follow it with",
      "`spool batch status|wait ID`. (No results manifest is written for a detached batch.)"})
  boolean detach;

  /** An item's time limit per attempt unless --timeout says otherwise: the reference guide's {@code timeout=600}. */
  static final Duration ITEM_TIMEOUT = Duration.ofMinutes(10);

  /** The JSON result. */
  record Report(String batchId, String results, int total, int succeeded, int failed, int cancelled, int skipped,
      double cpuSeconds, double costUsd, double wallSeconds, List<ResultsManifest.Line> items) {}

  @Override
  public Integer call() {
    if (manifest == null && inputs.isEmpty()) {
      throw new BadArgumentException("give INPUT files, folders or globs, or --manifest FILE");
    }
    if (!out.contains(":") && Files.isRegularFile(Path.of(out))) {
      throw new BadArgumentException("--out must be a folder or VOLUME:path, not a file: " + out);
    }
    long t0 = System.nanoTime();
    java.util.Optional<io.spool.engine.TemporalSettings> shared = service.settings();
    if (detach && shared.isEmpty()) {
      throw new BadArgumentException("--detach needs a shared service (spool dev-server, with SPOOL_TEMPORAL or --temporal):"
          + " an embedded batch ends with this command");
    }
    try (SpoolEngine engine = startEngine(shared)) {
      Path results = TranscodeBatch.resultsFile(engine, out);
      List<BatchInputs.Row> rows = manifest != null ? BatchInputs.manifest(manifest)
          : BatchInputs.expand(inputs, engine, madeBefore(results));
      if (rows.isEmpty()) {
        throw new BadArgumentException("no media files found in " + inputs);
      }
      Resources resources = job.resources(BatchRun.coresPerJob(engine.config().cpuCores(), rows.size(), concurrency),
          ITEM_TIMEOUT);
      engine.gpuWait(resources).ifPresent(why -> warn("the batch's jobs require a GPU and are " + why));
      List<TranscodeBatch.Item> items = items(rows, resources);
      if (!engine.embedded()) {
        // Workers elsewhere do not run in this folder: they are given absolute paths.
        items = items.stream().map(it -> it.withPaths(absolute(engine, it.input()), absolute(engine, it.output()))).toList();
      }
      try (TranscodeBatch.Run run = TranscodeBatch.start(engine, items, results, resume, concurrency,
          job.cpu == null)) {
        if (detach && run.handle() != null) {
          run.detach();
          print(java.util.Map.of("batchId", run.handle().id(), "jobs", run.handle().jobIds().size()), run.handle().id());
          if (!common.json) {
            // On stderr, so that B=$(spool batch transcode ... --detach) holds the id alone.
            err().println("follow it with: spool batch status " + run.handle().id() + "   or   spool batch wait "
                + run.handle().id());
            err().flush();
          }
          return ExitCodes.OK;
        }
        List<ResultsManifest.Line> lines = BatchProgress.drain(err(), BatchRun.of(run), items.size(), common);
        Report report = report(run, lines, items.size(), (System.nanoTime() - t0) / 1e9);
        print(report, BatchReport.human(report.items(), report.skipped(), report.wallSeconds(), report.results()));
        return report.failed() + report.cancelled() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
      }
    }
  }

  /**
   * Whether a file is an output an earlier run of this batch recorded: with --out inside (or equal
   * to) an input folder, those outputs must not become inputs of the next run.
   */
  private static java.util.function.Predicate<String> madeBefore(Path results) {
    Set<String> made = new HashSet<>();
    for (ResultsManifest.Line l : ResultsManifest.read(results)) {
      if (l.output() != null) {
        made.add(key(l.output()));
      }
    }
    return ref -> !made.isEmpty() && made.contains(key(ref));
  }

  /** A local path made absolute and normal; a volume reference as it is. */
  private static String key(String ref) {
    if (VolumePath.looksLike(ref)) {
      return ref;
    }
    try {
      return Path.of(ref).toAbsolutePath().normalize().toString();
    } catch (java.nio.file.InvalidPathException e) {
      return ref;
    }
  }

  /** A volume reference as given; a local path made absolute. */
  private static String absolute(SpoolEngine engine, String ref) {
    if (engine.isVolumeRef(ref)) {
      return ref;
    }
    try {
      return Path.of(ref).toAbsolutePath().normalize().toString();
    } catch (java.nio.file.InvalidPathException e) {
      return ref; // fails its own job with the reason
    }
  }

  private List<TranscodeBatch.Item> items(List<BatchInputs.Row> rows, Resources resources) {
    Set<String> taken = inputsInOut(rows);
    List<TranscodeBatch.Item> items = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      BatchInputs.Row row = rows.get(i);
      TranscodeOptions options = withOverrides(row.options());
      String output = row.output() == null ? TranscodeBatch.outputFor(row.input(), out, options, taken)
          : explicitOutput(row.output(), taken, i + 1);
      items.add(new TranscodeBatch.Item(row.input(), output, options, resources, job.overwrite));
    }
    return items;
  }

  /**
   * The names of inputs that lie in the --out folder itself: an output named after another input
   * must not take one of them (a.mp4 and a.web.mp4 both in the folder).
   */
  private Set<String> inputsInOut(List<BatchInputs.Row> rows) {
    Set<String> names = new HashSet<>();
    if (out.contains(":")) {
      return names;
    }
    Path folder = Path.of(out).toAbsolutePath().normalize();
    for (BatchInputs.Row row : rows) {
      try {
        Path in = Path.of(row.input()).toAbsolutePath().normalize();
        if (folder.equals(in.getParent())) {
          names.add(in.getFileName().toString());
        }
      } catch (java.nio.file.InvalidPathException e) {
        // not a local path: it cannot lie in the folder
      }
    }
    return names;
  }

  /**
   * A manifest's own output name, which stays inside --out: a relative path without {@code ..}
   * steps that lead out of it.
   */
  private String explicitOutput(String output, Set<String> taken, int item) {
    Path rel;
    try {
      rel = Path.of(output).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new BadArgumentException("manifest item " + item + ": output '" + output + "' is not a path");
    }
    if (rel.isAbsolute() || rel.startsWith("..") || rel.toString().isEmpty()) {
      throw new BadArgumentException("manifest item " + item + ": output '" + output
          + "' must be a path inside --out " + out + " (relative, without .. leading out of it)");
    }
    String name = rel.toString();
    taken.add(name);
    return out.endsWith("/") || out.endsWith(":") ? out + name : out + "/" + name;
  }

  private TranscodeOptions withOverrides(Map<String, String> o) {
    TranscodeOptions.Builder b = flags.options();
    if (o.containsKey("preset")) {
      b.preset(Preset.parse(o.get("preset")));
    }
    if (o.containsKey("height")) {
      b.height(number(o.get("height"), "height"));
    }
    if (o.containsKey("crf")) {
      b.crf(number(o.get("crf"), "crf"));
    }
    if (o.containsKey("video_codec")) {
      b.videoCodec(o.get("video_codec"));
    }
    if (o.containsKey("audio_bitrate")) {
      b.audioBitrateKbps(TranscodeFlags.kbps(o.get("audio_bitrate")));
    }
    return b.build();
  }

  private static int number(String v, String field) {
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new BadArgumentException("manifest " + field + " must be a whole number, got '" + v + "'");
    }
  }

  private static Report report(TranscodeBatch.Run run, List<ResultsManifest.Line> lines, int total, double wall) {
    BatchReport.Totals t = BatchReport.Totals.of(lines, run.skipped().size());
    return new Report(run.handle() == null ? null : run.handle().id(), run.resultsFile().toString(), total,
        t.tally().succeeded(), t.tally().failed(), t.tally().cancelled(), run.skipped().size(), t.cpuSeconds(),
        t.costUsd(), wall, lines);
  }
}
