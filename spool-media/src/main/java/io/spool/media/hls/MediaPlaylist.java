package io.spool.media.hls;

import io.spool.media.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * An HLS media playlist (RFC 8216 section 4.3.3): its target duration and segments, as ffmpeg's
 * hls muxer writes them. No maintained m3u8 library is served from the registries Spool builds
 * from, and the few tags read here are one per line.
 *
 * @param targetDuration {@code EXT-X-TARGETDURATION}, whole seconds
 * @param ended whether {@code EXT-X-ENDLIST} closes it (a complete VOD playlist)
 */
public record MediaPlaylist(int targetDuration, List<Segment> segments, boolean ended) {
  /** One media segment: its {@code EXTINF} duration and its URI, relative to the playlist. */
  public record Segment(double durationSeconds, String uri) {}

  public MediaPlaylist {
    segments = List.copyOf(segments);
  }

  /** The playlist's whole length. */
  public double durationSeconds() {
    return segments.stream().mapToDouble(Segment::durationSeconds).sum();
  }

  /**
   * Reads a media playlist.
   *
   * @throws InvalidInputException naming the first line that is not one
   */
  public static MediaPlaylist parse(String text) {
    String[] lines = text.split("\\R");
    if (lines.length == 0 || !lines[0].strip().equals("#EXTM3U")) {
      throw new InvalidInputException("not an HLS playlist: it does not start with #EXTM3U");
    }
    int target = -1;
    boolean ended = false;
    Double pending = null;
    List<Segment> segments = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      try {
        if (line.startsWith("#EXT-X-TARGETDURATION:")) {
          target = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
        } else if (line.startsWith("#EXTINF:")) {
          String value = line.substring(line.indexOf(':') + 1);
          int comma = value.indexOf(',');
          pending = Double.parseDouble((comma < 0 ? value : value.substring(0, comma)).strip());
        } else if (line.equals("#EXT-X-ENDLIST")) {
          ended = true;
        } else if (!line.isEmpty() && !line.startsWith("#")) {
          if (pending == null) {
            throw new InvalidInputException("HLS playlist line " + (i + 1) + " names a segment without #EXTINF: " + line);
          }
          segments.add(new Segment(pending, line));
          pending = null;
        }
      } catch (NumberFormatException e) {
        throw new InvalidInputException("HLS playlist line " + (i + 1) + " has a bad number: " + line);
      }
    }
    if (target < 0) {
      throw new InvalidInputException("HLS media playlist has no #EXT-X-TARGETDURATION");
    }
    return new MediaPlaylist(target, segments, ended);
  }
}
