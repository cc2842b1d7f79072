package io.spool.cli;

import io.spool.engine.JobSpec;
import io.spool.engine.Resources;
import io.spool.engine.SpoolEngine;
import io.spool.transcribe.TranscribeJob;
import io.spool.transcribe.Transcriber;
import io.spool.transcribe.TranscriptFormat;
import io.spool.transcribe.WhisperModels;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code spool batch transcribe INPUTS... --out DIR|VOLUME:PATH}. */
@Command(name = "transcribe", description = {
    "Transcribe many inputs on the embedded engine or a shared service: bounded concurrency, retries, a results",
    "manifest. Each input's transcript files are named after it in --out. One failure never stops the batch;",
    "exit 1 if any item failed."})
final class BatchTranscribeCommand extends BatchJobsCommand {
  @Mixin TranscribeFlags flags;

  @Override
  String jobType() {
    return TranscribeJob.NAME;
  }

  @Override
  void check() {
    flags.formats(false);
    flags.options();
  }

  @Override
  void checkOn(SpoolEngine engine) {
    if (engine.embedded()) {
      // This host runs every item: one missing model is one error, not one failure per input.
      Transcriber.using(engine.config().tools(), WhisperModels.in(SpoolHome.models(), System.getenv()))
          .check(flags.options());
    }
  }

  @Override
  JobSpec spec(String in, String folder, String name, Resources resources) {
    Map<TranscriptFormat, String> outputs = new LinkedHashMap<>();
    for (TranscriptFormat f : flags.formats(false)) {
      outputs.put(f, TranscribeCommand.join(folder, name + "." + f.extension()));
    }
    return TranscribeJob.spec(in, outputs, null, flags.options(), resources, job.overwrite);
  }
}
