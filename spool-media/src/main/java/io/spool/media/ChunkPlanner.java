package io.spool.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts an input's video into chunks for a {@link ChunkedTranscoder}: at keyframes, read from the
 * packets without decoding, each chunk owning the output frames from its keyframe's place on the
 * output frame grid to the next chunk's.
 */
public final class ChunkPlanner {
  /**
   * How far ahead of a chunk's keyframe reading starts in files without a seek index (MPEG-TS,
   * MPEG-PS): seeking there lands by byte position and can pass the keyframe itself.
   */
  private static final long SEEK_MARGIN_MICROS = 1_000_000;

  private final Toolchain tools;

  private ChunkPlanner(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static ChunkPlanner using(Toolchain tools) {
    return new ChunkPlanner(tools);
  }

  /**
   * Plans chunks of about {@code chunkSeconds} each: a chunk starts at the first keyframe at least
   * that long after the start of the one before, and no chunk is left shorter than half of it at
   * the end. {@code workDir} takes a small file while ffmpeg is asked for its frame rate.
   *
   * @throws BadArgumentException for options that cannot be chunked, or an input without video
   */
  public ChunkPlan plan(Path input, TranscodeOptions options, double chunkSeconds, Path workDir) {
    ChunkedTranscoder.checkChunkable(options);
    if (!(chunkSeconds >= 1)) {
      throw new BadArgumentException("chunks must be at least 1 s long, got " + chunkSeconds);
    }
    MediaInfo in = Transcoder.using(tools).describe(input);
    MediaStream video = in.primaryVideo().orElseThrow(() -> new BadArgumentException(
        input.getFileName() + " has no video to cut into chunks; transcode it without --chunked"));
    boolean mp4 = in.formatName() != null && (in.formatName().contains("mp4") || in.formatName().contains("mov"));
    if (video.variableFrameRate() && mp4) {
      // Phone video: its frames come at uneven times, and a single pass keeps them as they come; a
      // chunk, which starts on a grid of its own, would not get the same frames. (Soft-telecined
      // MPEG-2, also counted variable, has a regular pattern that the grid follows.)
      throw new BadArgumentException(input.getFileName() + " has a variable frame rate, which --chunked cannot split"
          + " frame-exactly; transcode it without --chunked");
    }
    int audio = in.primaryAudio().map(MediaStream::index).orElse(-1);
    // At a constant rate ffmpeg keeps the stream's own; otherwise it is asked.
    Rational rate = !video.variableFrameRate() && video.frameRate().isKnown() ? video.frameRate().reduced()
        : outputFrameRate(input, video.index(), workDir);
    FFprobe.StreamPackets p = FFprobe.using(tools).packets(input, video.index());
    FrameGrid grid = new FrameGrid(p.timeBase(), p.startMicros(), rate);
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    List<Long> keys = new ArrayList<>();
    for (FFprobe.Packet packet : p.packets()) {
      if (packet.pts() != FFprobe.Packet.NO_PTS && !packet.discarded()) {
        first = Math.min(first, packet.pts());
        last = Math.max(last, packet.pts());
        if (packet.keyframe()) {
          keys.add(packet.pts());
        }
      }
    }
    if (first > last) {
      throw new InvalidInputException(input.getFileName() + " has no video frames with timestamps to cut at");
    }
    keys.sort(null);
    long step = (long) Math.ceil(chunkSeconds * p.timeBase().denominator() / p.timeBase().numerator());
    // MP4 and MOV index their keyframes: a seek to a keyframe's time lands on it. Elsewhere a seek
    // lands by byte position and may pass it, so reading starts a little earlier.
    boolean indexed = mp4;
    List<Long> starts = new ArrayList<>(List.of(0L));
    List<Long> seeks = new ArrayList<>(List.of(-1L));
    long chunkStart = first;
    for (long key : keys) {
      long frame = grid.frameAt(key);
      if (key - chunkStart < step || last - key < step / 2 || frame <= starts.get(starts.size() - 1)) {
        continue;
      }
      starts.add(frame);
      seeks.add(Math.max(0, grid.micros(key) - p.startMicros() - (indexed ? 0 : SEEK_MARGIN_MICROS)));
      chunkStart = key;
    }
    List<ChunkPlan.Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      chunks.add(new ChunkPlan.Chunk(i, starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : -1, seeks.get(i)));
    }
    return new ChunkPlan(p.startMicros(), p.timeBase(), rate, video.index(), audio, in.durationSeconds(), ChunkedTranscoder.PREROLL_FRAMES, chunks);
  }

  /**
   * The frame rate ffmpeg gives the video when it makes it constant: its own guess from the
   * stream (which ffprobe does not report; for soft-telecined MPEG-2 it is the coded rate, not the
   * field rate), read from the time base of one frame converted at {@code source_fps}.
   */
  private Rational outputFrameRate(Path input, int videoStream, Path workDir) {
    Path md5 = workDir.resolve("rate.framemd5");
    FFmpegCommand probe = FFmpegCommand.newBuilder().input(Input.of(input))
        .output(Output.newBuilder(md5).format("framemd5").stream(videoStream).frames(1)
            .video(VideoEncoding.newBuilder().codec("rawvideo").build())
            .videoFilters(new FilterChain(List.of(Transcoder.constantRate()))).build())
        .build();
    FFmpegRunner.using(tools).run(probe, RunOptions.DEFAULT);
    try {
      for (String line : Files.readAllLines(md5, StandardCharsets.UTF_8)) {
        if (line.startsWith("#tb ")) {
          Rational tb = Rational.parse(line.substring(line.indexOf(':') + 1).strip());
          if (tb.isKnown()) {
            return Rational.of(tb.denominator(), tb.numerator()).reduced();
          }
        }
      }
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot read ffmpeg's frame checksums " + md5 + ": " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(md5);
      } catch (IOException e) {
        // the work folder is removed with the job
      }
    }
    throw new InvalidInputException(input.getFileName() + ": ffmpeg gave no frame rate for its video stream");
  }

}
