package io.spool.media;

import io.spool.media.internal.CommandRunner;
import io.spool.media.internal.FailureClassifier;
import io.spool.media.internal.ProbeParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Reads what a media file contains. {@code FFprobe.using(toolchain).probe(path)}. */
public final class FFprobe {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** Formats that ffprobe accepts but that are not audio or video. */
  private static final Set<String> NOT_MEDIA = Set.of("tty", "ass", "srt", "webvtt", "ffmetadata");

  private final Toolchain tools;

  private FFprobe(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static FFprobe using(Toolchain tools) {
    return new FFprobe(tools);
  }

  /**
   * Probes a local file.
   *
   * @throws InputNotFoundException if the file is missing or unreadable
   * @throws InvalidInputException if it is empty, a directory, not media, or has no audio or
   *     video stream
   */
  public MediaInfo probe(Path file) {
    checkReadableFile(file);
    CommandRunner.Result r = CommandRunner.run(
        List.of(tools.ffprobe().toString(), "-loglevel", "level+error", "-hide_banner",
            "-print_format", "json", "-show_format", "-show_streams", "-show_chapters",
            Arguments.fileUrl(file)),
        TIMEOUT);
    if (!r.ok()) {
      List<String> stderr = List.of(r.stderr().strip().split("\\R"));
      throw new InvalidInputException(
          file.getFileName() + " is not readable media: " + FailureClassifier.reason(stderr), stderr, null);
    }
    MediaInfo info;
    try {
      info = ProbeParser.parse(file, r.stdout());
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidInputException(
          file.getFileName() + " could not be described by ffprobe: " + e.getMessage(), List.of(), e);
    }
    if (info.formatName() != null && NOT_MEDIA.contains(info.formatName())) {
      throw new InvalidInputException(
          file.getFileName() + " is not audio or video (ffprobe reads it as '" + info.formatName() + "')");
    }
    if (!info.hasVideo() && !info.hasAudio()) {
      throw new InvalidInputException(file.getFileName() + " contains no audio or video stream");
    }
    return info;
  }

  /** The checks every operation makes before handing a path to ffmpeg. */
  static void checkReadableFile(Path file) {
    if (!Files.exists(file)) {
      throw new InputNotFoundException("input not found: " + file);
    }
    if (Files.isDirectory(file)) {
      throw new InvalidInputException("input is a directory, not a media file: " + file);
    }
    if (!Files.isReadable(file)) {
      throw new InputNotFoundException("input is not readable (permissions): " + file);
    }
    try {
      if (Files.size(file) == 0) {
        throw new InvalidInputException("input is empty (0 bytes): " + file);
      }
    } catch (IOException e) {
      throw new InputNotFoundException("cannot read input " + file + ": " + e.getMessage());
    }
  }
}
