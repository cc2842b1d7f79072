package io.spool.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Something ffmpeg writes: where, in which container, which input streams, how each is encoded,
 * and the video filters. Build with {@link #newBuilder(Path)}.
 *
 * @param keyframeAt the output frame number (from 0) made a keyframe whatever the encoder's own
 *     choice ({@code -force_key_frames}); null leaves keyframes to the encoder
 */
public record Output(
    Path path,
    String format,
    List<StreamRef> streams,
    VideoEncoding video,
    AudioEncoding audio,
    String subtitleCodec,
    FilterChain videoFilters,
    Integer threads,
    boolean fastStart,
    String codecTag,
    Integer frames,
    Integer keyframeAt) {

  /** Stream {@code index} of input {@code input} (0 for the first), as {@code -map input:index} names it. */
  public record StreamRef(int input, int index) {
    public StreamRef {
      if (input < 0 || index < 0) {
        throw new BadArgumentException("stream reference must not be negative, got " + input + ":" + index);
      }
    }
  }

  public Output {
    Objects.requireNonNull(path, "path");
    if (format != null) {
      Arguments.token("format", format);
    }
    if (codecTag != null) {
      Arguments.token("codec tag", codecTag);
    }
    if (subtitleCodec != null) {
      Arguments.token("subtitle codec", subtitleCodec);
    }
    streams = List.copyOf(streams);
    Objects.requireNonNull(videoFilters, "videoFilters");
    if (threads != null && threads < 1) {
      throw new BadArgumentException("threads must be >= 1, got " + threads);
    }
    if (frames != null && frames < 1) {
      throw new BadArgumentException("frames must be >= 1, got " + frames);
    }
    if (keyframeAt != null && keyframeAt < 0) {
      throw new BadArgumentException("keyframe frame number must be >= 0, got " + keyframeAt);
    }
  }

  public static Builder newBuilder(Path path) {
    return new Builder(path);
  }

  public Builder toBuilder() {
    Builder b = new Builder(path);
    b.format = format;
    b.streams.addAll(streams);
    b.video = video;
    b.audio = audio;
    b.subtitleCodec = subtitleCodec;
    b.videoFilters = videoFilters;
    b.threads = threads;
    b.fastStart = fastStart;
    b.codecTag = codecTag;
    b.frames = frames;
    b.keyframeAt = keyframeAt;
    return b;
  }

  public static final class Builder {
    private Path path;
    private String format;
    private final List<StreamRef> streams = new ArrayList<>();
    private VideoEncoding video;
    private AudioEncoding audio;
    private String subtitleCodec;
    private FilterChain videoFilters = FilterChain.EMPTY;
    private Integer threads;
    private boolean fastStart;
    private String codecTag;
    private Integer frames;
    private Integer keyframeAt;

    private Builder(Path path) {
      this.path = path;
    }

    public Builder path(Path path) {
      this.path = path;
      return this;
    }

    /** The muxer, e.g. {@code mp4}, {@code webm}, {@code null}. */
    public Builder format(String format) {
      this.format = format;
      return this;
    }

    /** Maps stream {@code index} of the first input into this output. */
    public Builder stream(int index) {
      return stream(0, index);
    }

    /** Maps stream {@code index} of input {@code input} (0 for the first) into this output. */
    public Builder stream(int input, int index) {
      streams.add(new StreamRef(input, index));
      return this;
    }

    /** Maps no stream of the inputs yet (a plan's output reused with other streams). */
    public Builder clearStreams() {
      streams.clear();
      return this;
    }

    /** Video encoding; without it the output has no video. */
    public Builder video(VideoEncoding video) {
      this.video = video;
      return this;
    }

    /** Audio encoding; without it the output has no audio. */
    public Builder audio(AudioEncoding audio) {
      this.audio = audio;
      return this;
    }

    /** Subtitle encoder for the mapped subtitle streams; without it the output has no subtitles. */
    public Builder subtitleCodec(String codec) {
      this.subtitleCodec = codec;
      return this;
    }

    public Builder videoFilters(FilterChain chain) {
      this.videoFilters = chain;
      return this;
    }

    public Builder threads(Integer threads) {
      this.threads = threads;
      return this;
    }

    /** MP4/MOV: move the index (moov) before the media data so playback can start at once. */
    public Builder fastStart(boolean fastStart) {
      this.fastStart = fastStart;
      return this;
    }

    public Builder codecTag(String tag) {
      this.codecTag = tag;
      return this;
    }

    public Builder frames(Integer frames) {
      this.frames = frames;
      return this;
    }

    /** Makes output frame {@code frame} (from 0) a keyframe. */
    public Builder keyframeAt(Integer frame) {
      this.keyframeAt = frame;
      return this;
    }

    public Output build() {
      return new Output(path, format, streams, video, audio, subtitleCodec, videoFilters, threads, fastStart, codecTag, frames,
          keyframeAt);
    }
  }
}
