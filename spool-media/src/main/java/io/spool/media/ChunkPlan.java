package io.spool.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spool.media.internal.Json;
import java.util.List;
import java.util.Objects;

/**
 * How a chunked transcode cuts its input's video: chunks that start at keyframes, each owning a
 * range of the output's frames. The output frames are those of a single-pass transcode (ffmpeg's
 * frame rate, on a grid that starts at the file's start), so the chunks joined hold exactly the
 * frames a single pass would. Made by {@link ChunkedTranscoder#plan}; travels as JSON.
 *
 * @param startMicros where the file's timeline begins (ffprobe's format start time), which a
 *     single pass takes as zero
 * @param timeBase the video stream's time base, in which its timestamps count
 * @param frameRate the output frame rate, as ffmpeg chooses it for the video stream
 * @param videoStream the video stream's index in the input
 * @param audioStream the audio stream's index in the input, or -1 without audio
 * @param durationSeconds the input's duration
 * @param preroll frames of the chunk's first picture that each chunk but the first encodes ahead
 *     of it and drops again, so that the encoder's rate control starts settled
 * @param chunks in order; the first starts at the beginning, the last runs to the end
 */
public record ChunkPlan(long startMicros, Rational timeBase, Rational frameRate, int videoStream, int audioStream, double durationSeconds,
    int preroll, List<Chunk> chunks) {

  /**
   * One chunk.
   *
   * @param index position in the plan, from 0
   * @param firstFrame the first output frame it holds
   * @param endFrame the output frame after its last, or -1 for the last chunk (to the end)
   * @param seekMicros where reading starts, from the file's start (at or before the keyframe the
   *     chunk starts at), or -1 to read from the beginning
   */
  public record Chunk(int index, long firstFrame, long endFrame, long seekMicros) {
    public Chunk {
      if (index < 0 || firstFrame < 0 || (endFrame >= 0 && endFrame <= firstFrame)) {
        throw new IllegalArgumentException("chunk " + index + " has no frames: " + firstFrame + " to " + endFrame);
      }
    }

    /** Whether it runs to the end of the input (its frame count is known once encoded). */
    public boolean last() {
      return endFrame < 0;
    }

    /** Frames it holds; -1 for the last chunk. */
    public long frames() {
      return last() ? -1 : endFrame - firstFrame;
    }
  }

  public ChunkPlan {
    Objects.requireNonNull(frameRate, "frameRate");
    Objects.requireNonNull(timeBase, "timeBase");
    if (!frameRate.isKnown()) {
      throw new IllegalArgumentException("frame rate must be known, got " + frameRate);
    }
    if (preroll < 0) {
      throw new IllegalArgumentException("preroll must be >= 0, got " + preroll);
    }
    chunks = List.copyOf(chunks);
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("a plan has at least one chunk");
    }
  }

  public Chunk chunk(int index) {
    return chunks.get(index);
  }

  /** When {@code chunk} starts in the output, in seconds. */
  public double startSeconds(Chunk chunk) {
    return seconds(chunk.firstFrame());
  }

  /** How long {@code frames} output frames last, in seconds. */
  public double seconds(long frames) {
    return frames * (double) frameRate.denominator() / frameRate.numerator();
  }

  /** The same plan holding only chunk {@code index}: what the job that encodes it needs. */
  public ChunkPlan only(int index) {
    return new ChunkPlan(startMicros, timeBase, frameRate, videoStream, audioStream, durationSeconds, preroll,
        List.of(chunk(index)));
  }

  /**
   * Frames chunk {@code chunk} encodes ahead of its own and drops again: none for the first chunk,
   * which starts where a single pass starts.
   */
  public int prerollOf(Chunk chunk) {
    return chunk.firstFrame() == 0 ? 0 : preroll;
  }

  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a chunk plan could not be written as JSON", e);
    }
  }

  public static ChunkPlan fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, ChunkPlan.class);
    } catch (JsonProcessingException e) {
      throw new BadArgumentException("not a chunk plan: " + e.getOriginalMessage());
    }
  }
}
