package io.spool.cli;

import io.spool.engine.JobHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobState;
import io.spool.engine.JobSpec;
import io.spool.engine.SpoolEngine;
import io.spool.engine.TranscodeJob;
import io.spool.media.Preset;
import io.spool.media.TranscodeOptions;
import io.spool.volumes.VolumePath;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool transcode IN [OUT]}: one file, as one job on the embedded engine. */
@Command(name = "transcode", description = {
    "Transcode one file as a job on the embedded engine (a job record, retries of what retrying can fix);",
    "the output appears only when it is complete and valid."})
final class TranscodeCommand extends SpoolSubcommand {
  /** One file's time limit per attempt unless --timeout says otherwise: long enough for a feature film. */
  static final Duration FILE_TIMEOUT = Duration.ofHours(24);

  @Parameters(index = "0", paramLabel = "IN", description = "Input media file or VOLUME:path.")
  String input;

  @Parameters(index = "1", arity = "0..1", paramLabel = "OUT",
      description = "Output file or VOLUME:path (default: IN's name with .PRESET.EXT, beside it).")
  String output;

  @Mixin TranscodeFlags flags;

  @Option(names = "--measure-quality",
      description = "Also measure the output against the input (PSNR and SSIM, mean and worst frame) before publishing it.")
  boolean measureQuality;

  @Mixin JobFlags job;

  @Mixin ServiceOptions service;

  @Override
  public Integer call() {
    TranscodeOptions options = flags.options().build();
    try (SpoolEngine engine = startEngine(service.settings())) {
      String in = JobWait.ref(engine, input);
      String out = output != null ? JobWait.ref(engine, output) : defaultOutput(engine, in, options.preset());
      io.spool.engine.Resources resources = job.resources(engine.config().cpuCores(), FILE_TIMEOUT);
      JobSpec spec = TranscodeJob.spec(in, out, options, resources, job.overwrite);
      JobHandle handle = engine.spawn(measureQuality ? TranscodeJob.measuringQuality(spec) : spec);
      engine.gpuWait(resources).ifPresent(why -> warn("job " + handle.id() + " is " + why));
      JobOutcome outcome = JobWait.withProgress(handle, JobWait.fileName(in), common, err());
      if (outcome.state() != JobState.SUCCEEDED) {
        throw JobFailure.of(outcome);
      }
      TranscodeSummary summary = TranscodeSummary.of(outcome);
      print(summary, summary.human());
      return ExitCodes.OK;
    }
  }

  private static String defaultOutput(SpoolEngine engine, String in, Preset preset) {
    if (engine.isVolumeRef(in)) {
      String name = VolumePath.parse(in).fileName();
      return in.substring(0, in.length() - name.length()) + preset.outputName(name);
    }
    return Path.of(in).resolveSibling(preset.outputName(JobWait.fileName(in))).toString();
  }
}
