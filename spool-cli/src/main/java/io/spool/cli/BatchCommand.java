package io.spool.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spool batch ...}: many jobs at once on the embedded engine or a shared service. */
@Command(name = "batch", description = "Run a job type over many inputs; follow batches.",
    subcommands = {BatchTranscodeCommand.class, BatchTranscribeCommand.class, BatchAudioExtractCommand.class, BatchAudioNormalizeCommand.class,
        BatchThumbnailsCommand.class, BatchHlsCommand.class, BatchStatusCommand.class, BatchWaitCommand.class})
final class BatchCommand {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show the batch subcommands.")
  boolean help;
}
