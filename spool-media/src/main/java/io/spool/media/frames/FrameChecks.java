package io.spool.media.frames;

import io.spool.media.FFprobe;
import io.spool.media.InvalidInputException;
import io.spool.media.MediaInfo;
import io.spool.media.ProcessFailedException;
import io.spool.media.RunResult;
import io.spool.media.Toolchain;
import io.spool.media.internal.Mp4Check;
import java.nio.file.Path;
import java.util.Locale;

/** The read-back check a video with changed frames passes before it may be published, as a transcode's. */
final class FrameChecks {
  /** Output shorter than the input by more than this (and 5%) means the input was cut short. */
  private static final double TRUNCATION_SLACK_SECONDS = 0.5;

  private FrameChecks() {}

  /** The written file reads back with video (and audio, where the input had it), as long as the input. */
  static MediaInfo verify(Toolchain tools, MediaInfo in, Path written, String muxer, boolean audio, RunResult run) {
    MediaInfo out;
    try {
      // An MP4 is read by Spool's reader, which also checks that every sample lies inside the file.
      java.util.Optional<MediaInfo> mp4 = muxer.equals("mp4") ? Mp4Check.read(written) : java.util.Optional.empty();
      out = mp4.isPresent() ? mp4.get() : FFprobe.using(tools).probe(written);
    } catch (InvalidInputException e) {
      throw new ProcessFailedException("ffmpeg wrote an unreadable file: " + e.getMessage(), 0, run.stderrTail());
    }
    if (!out.hasVideo()) {
      throw new InvalidInputException("no video could be decoded from " + in.path().getFileName(), run.stderrTail(), null);
    }
    if (audio && !out.hasAudio()) {
      throw new InvalidInputException("no audio could be decoded from " + in.path().getFileName(), run.stderrTail(), null);
    }
    double expected = in.durationSeconds();
    if (expected > 0 && out.durationSeconds() < expected - Math.max(TRUNCATION_SLACK_SECONDS, 0.05 * expected)) {
      throw new InvalidInputException(String.format(Locale.ROOT,
          "input is truncated or damaged: only %.2f s of %.2f s could be decoded from %s",
          out.durationSeconds(), expected, in.path().getFileName()), run.stderrTail(), null);
    }
    return out;
  }
}
