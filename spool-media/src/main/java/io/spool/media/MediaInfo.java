package io.spool.media;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What ffprobe found in a file: the container, its streams and chapters.
 *
 * @param formatName ffprobe's short format name(s), e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param durationSeconds container duration; 0 when unknown
 * @param bitRate overall bit rate in bits per second; 0 when unknown
 */
@JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public record MediaInfo(
    Path path,
    String formatName,
    String formatLongName,
    double durationSeconds,
    long sizeBytes,
    long bitRate,
    List<MediaStream> streams,
    List<Chapter> chapters,
    Map<String, String> tags) {

  public MediaInfo {
    streams = List.copyOf(streams);
    chapters = List.copyOf(chapters);
    tags = Map.copyOf(tags);
    if (durationSeconds < 0) {
      throw new IllegalArgumentException("durationSeconds must be >= 0: " + durationSeconds);
    }
  }

  /** Real video tracks, cover art excluded. */
  public List<MediaStream> videoStreams() {
    return streams.stream().filter(MediaStream::isVideo).toList();
  }

  public List<MediaStream> audioStreams() {
    return streams.stream().filter(MediaStream::isAudio).toList();
  }

  /** The video track a transcode uses: the default one, else the first. */
  public Optional<MediaStream> primaryVideo() {
    return preferDefault(videoStreams());
  }

  /** The audio track a transcode uses: the default one, else the first. */
  public Optional<MediaStream> primaryAudio() {
    return preferDefault(audioStreams());
  }

  public boolean hasVideo() {
    return primaryVideo().isPresent();
  }

  public boolean hasAudio() {
    return primaryAudio().isPresent();
  }

  private static Optional<MediaStream> preferDefault(List<MediaStream> candidates) {
    return candidates.stream()
        .min(Comparator.comparing((MediaStream s) -> !s.isDefault()).thenComparingInt(MediaStream::index));
  }
}
