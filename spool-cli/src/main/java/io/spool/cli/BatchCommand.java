package io.spool.cli;

import picocli.CommandLine.Command;

/** {@code spool batch ...}: many jobs at once on the embedded engine or a shared service. */
@Command(name = "batch", description = "Run a job type over many inputs; follow batches.",
    subcommands = {BatchTranscodeCommand.class, BatchTranscribeCommand.class, BatchStatusCommand.class, BatchWaitCommand.class})
final class BatchCommand {}
