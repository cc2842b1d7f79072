package io.spool.media.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.Chapter;
import io.spool.media.ColorInfo;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.Rational;
import io.spool.media.StreamType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Turns ffprobe's {@code -print_format json} output into the typed {@link MediaInfo} model. */
public final class ProbeParser {

  private ProbeParser() {}

  /**
   * How sure ffmpeg was of the container (0–100, from {@code -show_format}): 100 for a recognised
   * signature, 50 when only the file name matched, lower for a guess from content. 100 when absent.
   */
  public static int probeScore(JsonNode root) {
    return root.path("format").path("probe_score").asInt(100);
  }

  /** The model of ffprobe's JSON output, already read. */
  public static MediaInfo parse(Path path, JsonNode root) {
    JsonNode format = root.path("format");
    List<MediaStream> streams = new ArrayList<>();
    for (JsonNode s : root.path("streams")) {
      streams.add(stream(s));
    }
    List<Chapter> chapters = new ArrayList<>();
    for (JsonNode c : root.path("chapters")) {
      chapters.add(new Chapter(
          c.path("id").asLong(),
          number(c, "start_time"),
          number(c, "end_time"),
          text(c.path("tags"), "title")));
    }
    return new MediaInfo(
        path,
        text(format, "format_name"),
        text(format, "format_long_name"),
        Math.max(0, number(format, "duration")),
        (long) number(format, "size"),
        (long) number(format, "bit_rate"),
        streams,
        chapters,
        tags(format.path("tags")));
  }

  private static MediaStream stream(JsonNode s) {
    StreamType type = StreamType.fromProbe(text(s, "codec_type"));
    int width = s.path("width").asInt(0);
    int height = s.path("height").asInt(0);
    int rotation = rotation(s);
    Rational sar = Rational.parse(text(s, "sample_aspect_ratio"));
    int displayWidth = width;
    int displayHeight = height;
    if (sar.isKnown() && !sar.sameValue(Rational.ONE) && width > 0) {
      displayWidth = (int) Math.round(width * sar.toDouble());
    }
    if (rotation == 90 || rotation == 270) {
      int t = displayWidth;
      displayWidth = displayHeight;
      displayHeight = t;
    }
    Rational rate = Rational.parse(text(s, "r_frame_rate"));
    Rational avg = Rational.parse(text(s, "avg_frame_rate"));
    JsonNode tags = s.path("tags");
    return new MediaStream(
        s.path("index").asInt(),
        type,
        text(s, "codec_name"),
        text(s, "codec_long_name"),
        text(s, "profile"),
        text(s, "pix_fmt"),
        width,
        height,
        rotation,
        displayWidth,
        displayHeight,
        sar,
        Rational.parse(text(s, "display_aspect_ratio")),
        rate,
        avg,
        type == StreamType.VIDEO && variable(rate, avg),
        text(s, "field_order"),
        type == StreamType.VIDEO
            ? new ColorInfo(text(s, "color_range"), text(s, "color_space"),
                text(s, "color_transfer"), text(s, "color_primaries"))
            : ColorInfo.UNSPECIFIED,
        s.path("channels").asInt(0),
        text(s, "channel_layout"),
        (int) number(s, "sample_rate"),
        text(tags, "language"),
        dispositions(s.path("disposition")),
        Math.max(0, number(s, "duration")),
        (long) number(s, "bit_rate"),
        text(tags, "title"));
  }

  /**
   * Clockwise display rotation. The display matrix gives the counter-clockwise angle (ffprobe
   * prints e.g. {@code -90} for a picture to be turned 90 degrees clockwise); the legacy
   * {@code rotate} tag is already clockwise. Same rule as ffmpeg's own autorotation.
   */
  static int rotation(JsonNode s) {
    double theta = 0;
    boolean found = false;
    for (JsonNode sd : s.path("side_data_list")) {
      if (sd.has("rotation")) {
        theta = -sd.path("rotation").asDouble();
        found = true;
        break;
      }
    }
    if (!found) {
      String tag = text(s.path("tags"), "rotate");
      if (tag != null) {
        try {
          theta = Double.parseDouble(tag);
        } catch (NumberFormatException e) {
          theta = 0;
        }
      }
    }
    long quarter = Math.round(theta / 90.0);
    return (int) (((quarter % 4) + 4) % 4) * 90;
  }

  /** Variable frame rate shows as the mean rate differing from the base rate by more than 1%. */
  private static boolean variable(Rational rate, Rational avg) {
    if (!rate.isKnown() || !avg.isKnown()) {
      return false;
    }
    return Math.abs(rate.toDouble() - avg.toDouble()) > 0.01 * rate.toDouble();
  }

  private static Set<String> dispositions(JsonNode d) {
    Set<String> set = new TreeSet<>();
    for (Map.Entry<String, JsonNode> e : d.properties()) {
      if (e.getValue().asInt() != 0) {
        set.add(e.getKey());
      }
    }
    return set;
  }

  private static Map<String, String> tags(JsonNode t) {
    Map<String, String> map = new LinkedHashMap<>();
    t.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    String s = v.asText();
    return s.isEmpty() || s.equals("unknown") || s.equals("N/A") ? null : s;
  }

  private static double number(JsonNode n, String field) {
    String s = text(n, field);
    if (s == null) {
      return 0;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
