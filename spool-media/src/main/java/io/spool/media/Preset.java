package io.spool.media;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Named encoding recipes. {@link #WEB} is the reference guide's default: libx264
 * {@code -preset veryfast -crf 23}, AAC 128k, {@code -movflags +faststart}.
 */
public enum Preset {
  /** H.264/AAC MP4 that plays everywhere; fast. */
  WEB("mp4", "mp4",
      VideoEncoding.newBuilder().codec("libx264").preset("veryfast").crf(23).pixelFormat("yuv420p").build(),
      AudioEncoding.of("aac", 128), null),
  /** H.264/AAC MP4 at high quality for keeping; slow. */
  ARCHIVE("mp4", "mp4",
      VideoEncoding.newBuilder().codec("libx264").preset("slow").crf(18).pixelFormat("yuv420p").build(),
      AudioEncoding.of("aac", 192), null),
  /** H.264/AAC MP4 for quick looks; fastest, lowest quality. */
  PREVIEW("mp4", "mp4",
      VideoEncoding.newBuilder().codec("libx264").preset("ultrafast").crf(28).pixelFormat("yuv420p").build(),
      AudioEncoding.of("aac", 96), null),
  /** HEVC (libx265)/AAC MP4, tagged hvc1 so Apple players accept it; about half H.264's size. */
  HEVC("mp4", "mp4",
      VideoEncoding.newBuilder().codec("libx265").preset("fast").crf(28).pixelFormat("yuv420p")
          .option("x265-params", "log-level=error").build(),
      AudioEncoding.of("aac", 128), "hvc1"),
  /** VP9/Opus WebM, constant quality. */
  VP9("webm", "webm",
      VideoEncoding.newBuilder().codec("libvpx-vp9").crf(33).pixelFormat("yuv420p")
          .option("b:v", "0").option("row-mt", "1").option("deadline", "good").option("cpu-used", "4")
          .build(),
      AudioEncoding.of("libopus", 96), null),
  /** AV1 (SVT-AV1)/Opus WebM: the smallest files, slowest to encode. */
  AV1("webm", "webm",
      VideoEncoding.newBuilder().codec("libsvtav1").preset("8").crf(35).pixelFormat("yuv420p").build(),
      AudioEncoding.of("libopus", 96), null);

  private final String format;
  private final String extension;
  private final VideoEncoding video;
  private final AudioEncoding audio;
  private final String codecTag;

  Preset(String format, String extension, VideoEncoding video, AudioEncoding audio, String codecTag) {
    this.format = format;
    this.extension = extension;
    this.video = video;
    this.audio = audio;
    this.codecTag = codecTag;
  }

  /** Accepts the lower-case CLI spelling, e.g. {@code web}. */
  public static Preset parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new BadArgumentException("unknown preset '" + name + "'; choose one of " + names());
    }
  }

  public static String names() {
    return Arrays.stream(values()).map(Preset::id).collect(Collectors.joining(", "));
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The output file name for an input file name: {@code clip.mov} becomes {@code clip.web.mp4}. */
  public String outputName(String inputName) {
    int dot = inputName.lastIndexOf('.');
    String stem = dot > 0 ? inputName.substring(0, dot) : inputName;
    return stem + "." + id() + "." + extension;
  }

  /** The muxer name. */
  public String format() {
    return format;
  }

  /** The usual file extension, without the dot. */
  public String extension() {
    return extension;
  }

  public VideoEncoding video() {
    return video;
  }

  public AudioEncoding audio() {
    return audio;
  }

  public String codecTag() {
    return codecTag;
  }

  /** How text subtitles are carried in this preset's container. */
  public String subtitleCodec() {
    return format.equals("mp4") ? "mov_text" : "webvtt";
  }

  /** MP4 output gets its index moved to the front for streaming. */
  public boolean fastStart() {
    return format.equals("mp4");
  }
}
