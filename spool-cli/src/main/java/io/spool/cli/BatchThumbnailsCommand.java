package io.spool.cli;

import io.spool.engine.JobSpec;
import io.spool.engine.Resources;
import io.spool.engine.ThumbnailsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code spool batch thumbnails INPUTS... --out DIR|VOLUME:PATH}. */
@Command(name = "thumbnails", description = {
    "Make thumbnails of many inputs as `thumbnails` does: bounded concurrency, retries, a results manifest.",
    "Each input's files go in a folder named after it in --out. Exit 1 if any item failed."})
final class BatchThumbnailsCommand extends BatchJobsCommand {
  @Mixin ThumbnailFlags flags;

  @Override
  String jobType() {
    return ThumbnailsJob.NAME;
  }

  @Override
  void check() {
    flags.options();
  }

  @Override
  JobSpec spec(String in, String folder, String name, Resources resources) {
    return ThumbnailsJob.spec(in, TranscribeCommand.join(folder, name), flags.options(), resources, job.overwrite);
  }
}
