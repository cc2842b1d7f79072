package io.spool.media.hls;

import io.spool.media.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HLS master (multivariant) playlist (RFC 8216 section 4.3.4): one {@code EXT-X-STREAM-INF}
 * entry per variant, each naming its media playlist.
 */
public record MasterPlaylist(List<Variant> variants) {
  /**
   * One variant stream.
   *
   * @param bandwidth peak segment bit rate in bit/s
   * @param averageBandwidth mean bit rate in bit/s; 0 when not given
   * @param width 0 when not given (with {@code height})
   * @param codecs null when not given
   */
  public record Variant(String uri, long bandwidth, long averageBandwidth, int width, int height, String codecs) {}

  public MasterPlaylist {
    variants = List.copyOf(variants);
  }

  /** The playlist's text. Every segment begins with a keyframe, hence {@code EXT-X-INDEPENDENT-SEGMENTS}. */
  public String render() {
    StringBuilder sb = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for (Variant v : variants) {
      sb.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.bandwidth());
      if (v.averageBandwidth() > 0) {
        sb.append(",AVERAGE-BANDWIDTH=").append(v.averageBandwidth());
      }
      if (v.width() > 0) {
        sb.append(",RESOLUTION=").append(v.width()).append('x').append(v.height());
      }
      if (v.codecs() != null) {
        sb.append(",CODECS=\"").append(v.codecs()).append('"');
      }
      sb.append('\n').append(v.uri()).append('\n');
    }
    return sb.toString();
  }

  /**
   * Reads a master playlist's variants.
   *
   * @throws InvalidInputException naming the first line that is not one
   */
  public static MasterPlaylist parse(String text) {
    String[] lines = text.split("\\R");
    if (lines.length == 0 || !lines[0].strip().equals("#EXTM3U")) {
      throw new InvalidInputException("not an HLS playlist: it does not start with #EXTM3U");
    }
    List<Variant> variants = new ArrayList<>();
    Map<String, String> pending = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith("#EXT-X-STREAM-INF:")) {
        pending = attributes(line.substring(line.indexOf(':') + 1), i + 1);
      } else if (!line.isEmpty() && !line.startsWith("#")) {
        if (pending == null) {
          throw new InvalidInputException("HLS master playlist line " + (i + 1) + " names a playlist without #EXT-X-STREAM-INF");
        }
        variants.add(variant(line, pending, i + 1));
        pending = null;
      }
    }
    return new MasterPlaylist(variants);
  }

  private static Variant variant(String uri, Map<String, String> a, int line) {
    try {
      String resolution = a.get("RESOLUTION");
      int x = resolution == null ? -1 : resolution.toLowerCase(Locale.ROOT).indexOf('x');
      if (resolution != null && x < 0) {
        throw new NumberFormatException(resolution);
      }
      return new Variant(uri, Long.parseLong(a.getOrDefault("BANDWIDTH", "")),
          Long.parseLong(a.getOrDefault("AVERAGE-BANDWIDTH", "0")),
          resolution == null ? 0 : Integer.parseInt(resolution.substring(0, x)),
          resolution == null ? 0 : Integer.parseInt(resolution.substring(x + 1)), a.get("CODECS"));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("HLS master playlist line " + (line - 1) + " has a bad or missing BANDWIDTH or RESOLUTION");
    }
  }

  /** An attribute list: {@code NAME=value} pairs split by commas outside double quotes. */
  private static Map<String, String> attributes(String list, int line) {
    Map<String, String> a = new LinkedHashMap<>();
    int i = 0;
    while (i < list.length()) {
      int eq = list.indexOf('=', i);
      if (eq < 0) {
        throw new InvalidInputException("HLS master playlist line " + line + " has an attribute without a value");
      }
      String name = list.substring(i, eq).strip();
      int end;
      String value;
      if (eq + 1 < list.length() && list.charAt(eq + 1) == '"') {
        int close = list.indexOf('"', eq + 2);
        if (close < 0) {
          throw new InvalidInputException("HLS master playlist line " + line + " has an unclosed quoted value");
        }
        value = list.substring(eq + 2, close);
        end = list.indexOf(',', close);
      } else {
        end = list.indexOf(',', eq);
        value = list.substring(eq + 1, end < 0 ? list.length() : end).strip();
      }
      a.put(name, value);
      i = end < 0 ? list.length() : end + 1;
    }
    return a;
  }
}
