package io.spool.cli;

import io.spool.engine.BatchHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobSpec;
import io.spool.engine.Resources;
import io.spool.engine.ResultsManifest;
import io.spool.engine.SpoolEngine;
import io.spool.engine.TranscodeBatch;
import io.spool.media.BadArgumentException;
import io.spool.transcribe.TranscribeJob;
import io.spool.transcribe.TranscribeOptions;
import io.spool.transcribe.Transcriber;
import io.spool.transcribe.WhisperModels;
import io.spool.transcribe.TranscriptFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool batch transcribe INPUTS... --out DIR|VOLUME:PATH}. */
@Command(name = "transcribe", description = {
    "Transcribe many inputs on the embedded engine or a shared service: bounded concurrency, retries, a results",
    "manifest. Each input's transcript files are named after it in --out. One failure never stops the batch;",
    "exit 1 if any item failed."})
final class BatchTranscribeCommand extends SpoolSubcommand {
  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Files, folders, globs or VOLUME:path.")
  List<String> inputs = List.of();

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR|VOLUME:PATH", description = "Where the transcripts go.")
  String out;

  @Mixin TranscribeFlags flags;

  @Mixin JobFlags job;

  @Option(names = "--concurrency", defaultValue = "0", description = "Jobs at once (default: as many as the cores allow).")
  int concurrency;

  @Mixin ServiceOptions service;

  /** The JSON result. */
  record Report(String batchId, String results, int total, int succeeded, int failed, int cancelled, double cpuSeconds,
      double costUsd, double wallSeconds, List<ResultsManifest.Line> items) {}

  @Override
  public Integer call() {
    if (!out.contains(":") && Files.isRegularFile(Path.of(out))) {
      throw new BadArgumentException("--out must be a folder or VOLUME:path, not a file: " + out);
    }
    long t0 = System.nanoTime();
    List<TranscriptFormat> formats = flags.formats(false);
    TranscribeOptions options = flags.options();
    try (SpoolEngine engine = startEngine(service.settings())) {
      if (engine.embedded()) {
        // This host runs every item: one missing model is one error, not one failure per input.
        Transcriber.using(engine.config().tools(), WhisperModels.in(SpoolHome.models(), System.getenv())).check(options);
      }
      List<BatchInputs.Row> rows = BatchInputs.expand(inputs, engine, ref -> false);
      if (rows.isEmpty()) {
        throw new BadArgumentException("no media files found in " + inputs);
      }
      String folder = JobWait.ref(engine, out);
      Resources resources = job.resources(coresPerJob(engine.config().cpuCores(), rows.size()), TranscodeCommand.FILE_TIMEOUT);
      List<JobSpec> specs = new ArrayList<>();
      Set<String> taken = new HashSet<>();
      for (BatchInputs.Row row : rows) {
        String in = JobWait.ref(engine, row.input());
        String stem = TranscribeCommand.stem(JobWait.fileName(in));
        String name = stem;
        for (int n = 2; !taken.add(name); n++) {
          name = stem + "-" + n; // two inputs of one name in different folders, or a.mp4 and a.wav
        }
        Map<TranscriptFormat, String> outputs = new LinkedHashMap<>();
        for (TranscriptFormat f : formats) {
          outputs.put(f, TranscribeCommand.join(folder, name + "." + f.extension()));
        }
        specs.add(TranscribeJob.spec(in, outputs, null, options, resources, job.overwrite));
      }
      Path results = TranscodeBatch.resultsFile(engine, out);
      BatchHandle handle = engine.submit(TranscribeJob.NAME, specs, concurrency);
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

  /** Cores per job, shared out as {@code batch transcode} does. */
  int coresPerJob(int cores, int jobs) {
    int atOnce = Math.min(jobs, concurrency > 0 ? concurrency : cores);
    return Math.max(1, cores / Math.max(1, atOnce));
  }

  /** The batch as its progress display follows it, each outcome written to the manifest as it comes. */
  private static BatchRun run(BatchHandle handle, ResultsManifest manifest, List<JobSpec> specs) {
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
