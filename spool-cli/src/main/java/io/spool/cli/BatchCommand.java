package io.spool.cli;

import picocli.CommandLine.Command;

/** {@code spool batch ...}: many jobs at once on the embedded engine. */
@Command(name = "batch", description = "Run a job type over many inputs.", subcommands = BatchTranscodeCommand.class)
final class BatchCommand {}
