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
    List<Integer> streams,
    VideoEncoding video,
    AudioEncoding audio,
    String subtitleCodec,
    FilterChain videoFilters,
    Integer threads,
    boolean fastStart,
    String codecTag,
    Integer frames,
    List<Pad> maps,
    FilterChain audioFilters,
    ImageSequence images,
    RawVideo stdout,
    HlsSegments hls,
    Integer keyframeAt) {

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
    maps = maps == null ? List.of() : List.copyOf(maps);
    Objects.requireNonNull(videoFilters, "videoFilters");
    audioFilters = audioFilters == null ? FilterChain.EMPTY : audioFilters;
    if (threads != null && threads < 1) {
      throw new BadArgumentException("threads must be >= 1, got " + threads);
    }
    if (frames != null && frames < 1) {
      throw new BadArgumentException("frames must be >= 1, got " + frames);
    }
    if (hls != null && !"hls".equals(format)) {
      throw new BadArgumentException("an output cut into HLS segments must have format hls, got " + format);
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
    b.maps.addAll(maps);
    b.audioFilters = audioFilters;
    b.images = images;
    b.stdout = stdout;
    b.hls = hls;
    b.keyframeAt = keyframeAt;
    return b;
  }

  public static final class Builder {
    private Path path;
    private String format;
    private final List<Integer> streams = new ArrayList<>();
    private VideoEncoding video;
    private AudioEncoding audio;
    private String subtitleCodec;
    private FilterChain videoFilters = FilterChain.EMPTY;
    private Integer threads;
    private boolean fastStart;
    private String codecTag;
    private Integer frames;
    private final List<Pad> maps = new ArrayList<>();
    private FilterChain audioFilters = FilterChain.EMPTY;
    private ImageSequence images;
    private RawVideo stdout;
    private HlsSegments hls;
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
      streams.add(index);
      return this;
    }

    /** Maps no stream of the inputs yet (a plan's output reused with other streams). */
    public Builder clearStreams() {
      streams.clear();
      maps.clear();
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

    /** Maps stream {@code index} of input {@code input} (counted from 0) into this output. */
    public Builder stream(int input, int index) {
      return input == 0 ? stream(index) : map(Pad.stream(input, index));
    }

    /**
     * Maps a stream of any input, or an output of the command's {@link FilterGraph}, into this
     * output (after the streams of {@link #stream}).
     */
    public Builder map(Pad pad) {
      maps.add(Objects.requireNonNull(pad, "pad"));
      return this;
    }

    /**
     * Writes the frames as numbered images instead of one file at the path ({@code image2}); the
     * path then only names the output in messages.
     */
    public Builder images(ImageSequence images) {
      this.images = images;
      this.format = "image2";
      return this;
    }

    /**
     * Writes the video as raw frames to ffmpeg's standard output ({@link RunHandle#stdout()}), at
     * the frames' rate; the path then only names the output in messages. A command with such an
     * output reports no progress.
     */
    public Builder toStdout(RawVideo frames) {
      this.stdout = frames;
      this.format = "rawvideo";
      this.video = VideoEncoding.newBuilder().codec("rawvideo").pixelFormat(frames.pixelFormat()).build();
      return this;
    }

    /** Filters for the audio ({@code -af}). */
    public Builder audioFilters(FilterChain chain) {
      this.audioFilters = chain;
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

    /** Writes an HLS media playlist at the path, its segments beside it; sets the format to {@code hls}. */
    public Builder hls(HlsSegments segments) {
      this.hls = segments;
      this.format = "hls";
      return this;
    }

    /** Makes output frame {@code frame} (from 0) a keyframe. */
    public Builder keyframeAt(Integer frame) {
      this.keyframeAt = frame;
      return this;
    }

    public Output build() {
      return new Output(path, format, streams, video, audio, subtitleCodec, videoFilters, threads, fastStart, codecTag, frames,
          maps, audioFilters, images, stdout, hls, keyframeAt);
    }
  }
}
