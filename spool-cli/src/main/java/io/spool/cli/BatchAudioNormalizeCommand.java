package io.spool.cli;

import io.spool.engine.AudioNormalizeJob;
import io.spool.engine.JobSpec;
import io.spool.engine.Resources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spool batch audio-normalize INPUTS... --out DIR|VOLUME:PATH}. */
@Command(name = "audio-normalize", description = {
    "Loudness-normalize many inputs as `audio normalize` does: bounded concurrency, retries, a results manifest.",
    "Each output is named after its input in --out. Exit 1 if any item failed."})
final class BatchAudioNormalizeCommand extends BatchJobsCommand {
  @Mixin LoudnessFlags loudness;

  @Option(names = "--ext", defaultValue = "wav", paramLabel = "EXT",
      description = "Extension (container) of each output: wav flac mp3 m4a opus mka, or mp4 mov mkv to keep the video (default: ${DEFAULT-VALUE}).")
  String ext;

  @Override
  String jobType() {
    return AudioNormalizeJob.NAME;
  }

  @Override
  JobSpec spec(String in, String folder, String name, Resources resources) {
    return AudioNormalizeJob.spec(in, TranscribeCommand.join(folder, name + "." + ext), loudness.target(), resources,
        job.overwrite);
  }
}
