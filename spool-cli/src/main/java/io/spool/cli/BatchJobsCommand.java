package io.spool.cli;

import io.spool.engine.BatchHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobSpec;
import io.spool.engine.Resources;
import io.spool.engine.ResultsManifest;
import io.spool.engine.SpoolEngine;
import io.spool.engine.TranscodeBatch;
import io.spool.media.BadArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One batch driver for every single-input job type: expands the inputs, names each output after its input in
 * --out, submits one engine batch and follows it as {@code batch transcode} does. A subcommand says only which
 * job type and how one input's spec is made.
 */
abstract class BatchJobsCommand extends SpoolSubcommand {
  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Files, folders, globs or VOLUME:path.")
  List<String> inputs = List.of();

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR|VOLUME:PATH",
      description = "Folder where each input's output goes, named after the input.")
  String out;

  @Mixin JobFlags job;

  @Option(names = "--concurrency", defaultValue = "0", description = "Jobs at once (default: as many as the cores allow).")
  int concurrency;

  @Mixin ServiceOptions service;

  /** The JSON result, as {@code batch transcribe} gives it. */
  record Report(String batchId, String results, int total, int succeeded, int failed, int cancelled, double cpuSeconds,
      double costUsd, double wallSeconds, List<ResultsManifest.Line> items) {}

  /** The engine job type every item runs as. */
  abstract String jobType();

  /**
   * One input's job.
   *
   * @param in the input reference
   * @param folder the --out reference
   * @param name a name for this input's output, unique within the batch (the input's base name)
   */
  abstract JobSpec spec(String in, String folder, String name, Resources resources);

  /** Fails on bad flags before anything starts. */
  void check() {}

  /** Fails, once the engine is up and before any item is submitted, where no item could run. */
  void checkOn(SpoolEngine engine) {}

  @Override
  public Integer call() {
    if (!out.contains(":") && Files.isRegularFile(Path.of(out))) {
      throw new BadArgumentException("--out must be a folder or VOLUME:path, not a file: " + out);
    }
    check();
    long t0 = System.nanoTime();
    try (SpoolEngine engine = startEngine(service.settings())) {
      checkOn(engine);
      List<BatchInputs.Row> rows = BatchInputs.expand(inputs, engine, ref -> false);
      if (rows.isEmpty()) {
        throw new BadArgumentException("no media files found in " + inputs);
      }
      String folder = JobWait.ref(engine, out);
      int cores = engine.config().cpuCores();
      Resources resources = job.resources(BatchRun.coresPerJob(cores, rows.size(), concurrency), Duration.ofHours(24));
      List<JobSpec> specs = new ArrayList<>();
      Set<String> taken = new HashSet<>();
      for (BatchInputs.Row row : rows) {
        String in = JobWait.ref(engine, row.input());
        String stem = TranscribeCommand.stem(JobWait.fileName(in));
        String name = stem;
        for (int n = 2; !taken.add(name); n++) {
          name = stem + "-" + n; // two inputs of one name in different folders, or a.mp4 and a.wav
        }
        specs.add(spec(in, folder, name, resources));
      }
      Path results = TranscodeBatch.resultsFile(engine, out);
      BatchHandle handle = engine.submit(jobType(), specs, concurrency);
      try (ResultsManifest manifest = ResultsManifest.open(results)) {
        List<ResultsManifest.Line> lines = BatchProgress.drain(err(), run(handle, manifest, specs), specs.size(), common);
        BatchReport.Totals t = BatchReport.Totals.of(lines, 0);
        Report report = new Report(handle.id(), results.toString(), specs.size(), t.tally().succeeded(), t.tally().failed(),
            t.tally().cancelled(), t.cpuSeconds(), t.costUsd(), (System.nanoTime() - t0) / 1e9, lines);
        print(report, BatchReport.human(lines, 0, report.wallSeconds(), report.results()));
        return report.failed() + report.cancelled() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
      }
    }
  }

  /** The batch as its progress display follows it, each outcome written to the manifest as it comes. */
  static BatchRun run(BatchHandle handle, ResultsManifest manifest, List<JobSpec> specs) {
    Map<String, String> inputs = new HashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      inputs.put(handle.jobIds().get(i), specs.get(i).input());
    }
    return new BatchRun() {
      @Override
      public BatchHandle handle() {
        return handle;
      }

      @Override
      public List<ResultsManifest.Line> skipped() {
        return List.of();
      }

      @Override
      public OptionalDouble workOf(String jobId) {
        return OptionalDouble.empty();
      }

      @Override
      public OptionalDouble totalWork() {
        return OptionalDouble.empty();
      }

      @Override
      public String inputOf(String jobId) {
        return inputs.get(jobId);
      }

      @Override
      public void drain(Consumer<JobOutcome> onEach) {
        handle.asCompleted().forEach(o -> {
          manifest.append(ResultsManifest.Line.of(o));
          onEach.accept(o);
        });
        handle.await();
      }
    };
  }
}
