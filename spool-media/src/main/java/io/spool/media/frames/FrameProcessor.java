package io.spool.media.frames;

/**
 * Custom per-frame code: called once per frame, in order, on one thread, with the decoded picture,
 * which it changes in place; what it leaves in the frame's pixels is encoded. Frames arrive
 * through a pipe from one ffmpeg and leave through a pipe into another, so nothing is written per
 * frame and memory holds one frame at a time. See {@link FramePipe}.
 */
@FunctionalInterface
public interface FrameProcessor {
  /** Changes {@code frame}'s pixels in place. An exception fails the job. */
  void process(VideoFrame frame);
}
