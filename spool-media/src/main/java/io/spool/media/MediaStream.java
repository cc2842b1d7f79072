package io.spool.media;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.util.Set;

/**
 * One elementary stream of a probed file. Video fields are zero or null for audio streams and
 * the other way round.
 *
 * @param index the stream index in the container (what {@code -map 0:N} names)
 * @param rotation clockwise degrees the picture must be turned for display: 0, 90, 180 or 270
 *     (from the display matrix side data, or the legacy {@code rotate} tag)
 * @param displayWidth width as shown: coded size corrected by the sample aspect ratio, then
 *     rotated
 * @param displayHeight height as shown, likewise
 * @param frameRate the stream's base frame rate ({@code r_frame_rate})
 * @param averageFrameRate the mean frame rate ({@code avg_frame_rate})
 * @param variableFrameRate whether the two frame rates disagree, which marks variable frame rate
 * @param dispositions ffprobe's disposition flags that are set, e.g. {@code default},
 *     {@code attached_pic}
 */
@JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public record MediaStream(
    int index,
    StreamType type,
    String codec,
    String codecLongName,
    String profile,
    String pixelFormat,
    int width,
    int height,
    int rotation,
    int displayWidth,
    int displayHeight,
    Rational sampleAspectRatio,
    Rational displayAspectRatio,
    Rational frameRate,
    Rational averageFrameRate,
    boolean variableFrameRate,
    String fieldOrder,
    ColorInfo color,
    int channels,
    String channelLayout,
    int sampleRate,
    String language,
    Set<String> dispositions,
    double durationSeconds,
    long bitRate,
    String title) {

  public MediaStream {
    if (index < 0) {
      throw new IllegalArgumentException("stream index must be >= 0: " + index);
    }
    if (rotation % 90 != 0 || rotation < 0 || rotation >= 360) {
      throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270: " + rotation);
    }
    dispositions = Set.copyOf(dispositions);
  }

  /** Embedded cover art: a picture attached to an audio file, not a video track. */
  public boolean attachedPicture() {
    return dispositions.contains("attached_pic");
  }

  /** A real moving-picture track (cover art excluded). */
  public boolean isVideo() {
    return type == StreamType.VIDEO && !attachedPicture();
  }

  public boolean isAudio() {
    return type == StreamType.AUDIO;
  }

  /** A subtitle stored as text (SubRip, ASS, WebVTT, MP4 timed text), which any container can carry. */
  public boolean isTextSubtitle() {
    return type == StreamType.SUBTITLE && codec != null
        && Set.of("subrip", "srt", "ass", "ssa", "mov_text", "webvtt", "text").contains(codec);
  }

  public boolean isDefault() {
    return dispositions.contains("default");
  }

  /** Field-based (interlaced) content, which wants deinterlacing before encoding progressive. */
  public boolean interlaced() {
    return fieldOrder != null && Set.of("tt", "bb", "tb", "bt").contains(fieldOrder);
  }

  /** Frames a second on average, or the stream's own rate where the average is not known. */
  public Rational effectiveFrameRate() {
    return averageFrameRate.isKnown() ? averageFrameRate : frameRate;
  }

  /** Turned a quarter (90 or 270 degrees) for display: width and height swap. */
  public boolean quarterTurned() {
    return rotation == 90 || rotation == 270;
  }
}
