package io.spool.media.thumbnails;

import io.spool.media.Metrics;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished set of thumbnails, all in one folder.
 *
 * @param thumbnails the thumbnail files, in time order
 * @param times each thumbnail's time in seconds (where its frame was taken)
 * @param poster the representative frame at the picture's full size
 * @param posterIndex which thumbnail's frame the poster is
 * @param sprite the sprite sheet, or null when none was asked for
 * @param columns the sprite's columns (0 without one)
 * @param rows the sprite's rows (0 without one)
 * @param track the WebVTT thumbnail track (pointing into the sprite where there is one)
 * @param method how the frames were found: {@code SEEK} or {@code SCAN}
 * @param width a thumbnail's width
 * @param height a thumbnail's height
 * @param durationSeconds the video's duration
 * @param metrics what making them used
 */
public record ThumbnailSet(
    List<Path> thumbnails,
    List<Double> times,
    Path poster,
    int posterIndex,
    Path sprite,
    int columns,
    int rows,
    Path track,
    ThumbnailOptions.Method method,
    int width,
    int height,
    double durationSeconds,
    Metrics metrics) {

  public ThumbnailSet {
    thumbnails = List.copyOf(thumbnails);
    times = List.copyOf(times);
  }

  /** Every file made, the track last (it names the others). */
  public List<Path> files() {
    List<Path> all = new java.util.ArrayList<>(thumbnails);
    all.add(poster);
    if (sprite != null) {
      all.add(sprite);
    }
    all.add(track);
    return all;
  }
}
