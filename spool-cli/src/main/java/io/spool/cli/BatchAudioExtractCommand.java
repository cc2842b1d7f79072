package io.spool.cli;

import io.spool.engine.AudioExtractJob;
import io.spool.engine.JobSpec;
import io.spool.engine.Resources;
import io.spool.media.audio.AudioFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spool batch audio-extract INPUTS... --out DIR|VOLUME:PATH}. */
@Command(name = "audio-extract", description = {
    "Extract the audio of many inputs as `audio extract` does: bounded concurrency, retries, a results manifest.",
    "Each output is named after its input in --out. Exit 1 if any item failed."})
final class BatchAudioExtractCommand extends BatchJobsCommand {
  @Option(names = "--ext", defaultValue = "wav", paramLabel = "EXT",
      description = "Extension of each output: wav, mp3, m4a, opus, ... (default: ${DEFAULT-VALUE}).")
  String ext;

  @Option(names = "--format", paramLabel = "F", description = "wav16k, mp3, aac or opus (default: from --ext).")
  String format;

  @Override
  String jobType() {
    return AudioExtractJob.NAME;
  }

  @Override
  void check() {
    AudioFormat f = format();
    f.muxerFor("out." + ext);
  }

  private AudioFormat format() {
    return format == null ? AudioFormat.forFileName("out." + ext) : AudioFormat.parse(format);
  }

  @Override
  JobSpec spec(String in, String folder, String name, Resources resources) {
    return AudioExtractJob.spec(in, TranscribeCommand.join(folder, name + "." + ext), format(), resources, job.overwrite);
  }
}
