package io.spool.cli;

import io.spool.media.thumbnails.ThumbnailOptions;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What thumbnails to make: shared by {@code thumbnails} and {@code batch thumbnails}. */
final class ThumbnailFlags {
  /** One way of choosing the times. */
  static final class Times {
    @Option(names = "--count", paramLabel = "N", description = "N evenly spaced, each in the middle of its share of the video.")
    Integer count;

    @Option(names = "--at", paramLabel = "T", split = ",", converter = MediaTimes.class,
        description = "At these times: seconds or [h:]m:s, comma-separated, e.g. 5,1:30,0:02:10.5.")
    List<Double> at;

    @Option(names = "--every", paramLabel = "S", converter = MediaTimes.class, description = "One every S seconds from the start.")
    Double every;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Times times;

  @Option(names = "--sprite", description = "Also make a sprite sheet (up to 10 columns) for the WebVTT track to point into.")
  boolean sprite;

  @Option(names = "--width", defaultValue = "320", paramLabel = "W", description = "Thumbnail width in pixels (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--format", defaultValue = "jpg", paramLabel = "F", description = "jpg or png (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--method", defaultValue = "auto", paramLabel = "M",
      description = "seek (to each time), scan (one pass) or auto: whichever decodes less for this video (default: ${DEFAULT-VALUE}).")
  String method;

  ThumbnailOptions options() {
    return ThumbnailOptions.newBuilder()
        .count(times == null ? null : times.count).at(times == null ? null : times.at).every(times == null ? null : times.every)
        .width(width).format(format).sprite(sprite).method(ThumbnailOptions.Method.parse(method)).build();
  }
}
