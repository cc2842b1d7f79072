package io.spool.cli;

import io.spool.engine.HlsJob;
import io.spool.engine.JobSpec;
import io.spool.engine.Resources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code spool batch hls INPUTS... --out DIR|VOLUME:PATH}. */
@Command(name = "hls", description = {
    "Package many inputs for HLS as `hls` does: bounded concurrency, retries, a results manifest.",
    "Each input's ladder goes in a folder named after it in --out. Exit 1 if any item failed."})
final class BatchHlsCommand extends BatchJobsCommand {
  @Mixin HlsFlags flags;

  @Override
  String jobType() {
    return HlsJob.NAME;
  }

  @Override
  void check() {
    flags.options();
  }

  @Override
  JobSpec spec(String in, String folder, String name, Resources resources) {
    return HlsJob.spec(in, TranscribeCommand.join(folder, name), flags.options(), resources, job.overwrite);
  }
}
