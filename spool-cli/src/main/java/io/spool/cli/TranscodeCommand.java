package io.spool.cli;

import io.spool.engine.ChunkedTranscode;
import io.spool.engine.JobHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobState;
import io.spool.engine.JobSpec;
import io.spool.engine.SpoolEngine;
import io.spool.engine.TranscodeJob;
import io.spool.media.BadArgumentException;
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

  @Option(names = "--chunked",
      description = "Encode the video in chunks cut at keyframes, each a job of its own that any worker may run, then join"
          + " them without encoding again (H.264 and HEVC presets; the same frames as one pass). Each chunk job gets"
          + " --cpu (default 1).")
  boolean chunked;

  @Option(names = "--chunk-seconds", paramLabel = "S",
      description = "With --chunked: about how long each chunk is (default: 10); chunks start at keyframes.")
  Double chunkSeconds;

  @Option(names = "--resume",
      description = "With --chunked: keep the chunks an interrupted or failed run of the same transcode left in"
          + " OUT.chunks/ and encode only the others.")
  boolean resume;

  @Option(names = "--measure-quality",
      description = "Also measure the output against the input (PSNR and SSIM, mean and worst frame) before publishing it.")
  boolean measureQuality;

  @Mixin JobFlags job;

  @Mixin ServiceOptions service;

  @Override
  public Integer call() {
    TranscodeOptions options = flags.options().build();
    if (!chunked && (resume || chunkSeconds != null)) {
      throw new BadArgumentException((resume ? "--resume" : "--chunk-seconds") + " goes with --chunked");
    }
    if (chunked && measureQuality) {
      throw new BadArgumentException("--measure-quality does not go with --chunked; run spool quality on the output");
    }
    try (SpoolEngine engine = startEngine(service.settings())) {
      String in = JobWait.ref(engine, input);
      String out = output != null ? JobWait.ref(engine, output) : defaultOutput(engine, in, options.preset());
      if (chunked) {
        return chunked(engine, in, out, options);
      }
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

  /** The transcode as chunk jobs and a join, with the progress of all chunks in one bar. */
  private int chunked(SpoolEngine engine, String in, String out, TranscodeOptions options) {
    ChunkedTranscode transcode = ChunkedTranscode.newBuilder(in, out).options(options)
        .resources(job.resources(1, FILE_TIMEOUT)).overwrite(job.overwrite).resume(resume)
        .chunkSeconds(chunkSeconds != null ? chunkSeconds : ChunkedTranscode.DEFAULT_CHUNK_SECONDS).build();
    JobOutcome outcome;
    if (common.showsProgress()) {
      ProgressBar bar = ProgressBar.forCommand(err(), JobWait.fileName(in), common);
      try {
        outcome = transcode.run(engine, bar::onProgress);
      } finally {
        bar.finish();
      }
    } else {
      outcome = transcode.run(engine, io.spool.media.ProgressListener.NONE);
    }
    TranscodeSummary summary = TranscodeSummary.of(outcome);
    print(summary, summary.human());
    return ExitCodes.OK;
  }

  private static String defaultOutput(SpoolEngine engine, String in, Preset preset) {
    if (engine.isVolumeRef(in)) {
      String name = VolumePath.parse(in).fileName();
      return in.substring(0, in.length() - name.length()) + preset.outputName(name);
    }
    return Path.of(in).resolveSibling(preset.outputName(JobWait.fileName(in))).toString();
  }
}
