package io.spool.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Something ffmpeg writes: where, in which container, which input streams, how each is encoded,
 * and the video and audio filters. Build with {@link #newBuilder(Path)}.
 *
 * @param streams streams of the first input, by index
 * @param otherStreams streams of the inputs after the first (a subtitle file muxed in), mapped after {@code streams}
 */
public record Output(
    Path path,
    String format,
    List<Integer> streams,
    List<StreamRef> otherStreams,
    VideoEncoding video,
    AudioEncoding audio,
    String subtitleCodec,
    FilterChain videoFilters,
    FilterChain audioFilters,
    Integer threads,
    boolean fastStart,
    String codecTag,
    Integer frames) {

  /** Stream {@code index} of input {@code input} (0 is the first input). */
  public record StreamRef(int input, int index) {
    public StreamRef {
      if (input < 0 || index < 0) {
        throw new BadArgumentException("input and stream numbers must be >= 0, got " + input + ":" + index);
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
    otherStreams = List.copyOf(otherStreams);
    Objects.requireNonNull(videoFilters, "videoFilters");
    Objects.requireNonNull(audioFilters, "audioFilters");
    if (threads != null && threads < 1) {
      throw new BadArgumentException("threads must be >= 1, got " + threads);
    }
    if (frames != null && frames < 1) {
      throw new BadArgumentException("frames must be >= 1, got " + frames);
    }
  }

  public static Builder newBuilder(Path path) {
    return new Builder(path);
  }

  public Builder toBuilder() {
    Builder b = new Builder(path);
    b.format = format;
    b.streams.addAll(streams);
    b.otherStreams.addAll(otherStreams);
    b.video = video;
    b.audio = audio;
    b.subtitleCodec = subtitleCodec;
    b.videoFilters = videoFilters;
    b.audioFilters = audioFilters;
    b.threads = threads;
    b.fastStart = fastStart;
    b.codecTag = codecTag;
    b.frames = frames;
    return b;
  }

  public static final class Builder {
    private Path path;
    private String format;
    private final List<Integer> streams = new ArrayList<>();
    private final List<StreamRef> otherStreams = new ArrayList<>();
    private VideoEncoding video;
    private AudioEncoding audio;
    private String subtitleCodec;
    private FilterChain videoFilters = FilterChain.EMPTY;
    private FilterChain audioFilters = FilterChain.EMPTY;
    private Integer threads;
    private boolean fastStart;
    private String codecTag;
    private Integer frames;

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
      streams.add(index);
      return this;
    }

    /** Maps stream {@code index} of input {@code input} (counted from 0) into this output. */
    public Builder stream(int input, int index) {
      if (input == 0) {
        return stream(index);
      }
      otherStreams.add(new StreamRef(input, index));
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

    /** Filters on the audio ({@code -af}). */
    public Builder audioFilters(FilterChain chain) {
      this.audioFilters = chain;
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

    public Output build() {
      return new Output(path, format, streams, otherStreams, video, audio, subtitleCodec, videoFilters, audioFilters,
          threads, fastStart, codecTag, frames);
    }
  }
}
