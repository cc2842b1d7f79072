package io.spool.media.thumbnails;

import io.spool.media.BadArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The times of a set of thumbnails, in order, and the span of the video each one stands for: its
 * cue in a WebVTT thumbnail track. Evenly spaced thumbnails stand for equal shares of the video
 * and are taken in the middle of theirs; thumbnails every S seconds stand for the S seconds from
 * their time; given times stand for the time to the next one. A time past the last frame is taken
 * at the last frame.
 */
public record ThumbnailPlan(List<Double> times, List<Cue> cues) {
  /** The span of the video one thumbnail stands for, in seconds. */
  public record Cue(double start, double end) {}

  public ThumbnailPlan {
    times = List.copyOf(times);
    cues = List.copyOf(cues);
    if (times.size() != cues.size() || times.isEmpty()) {
      throw new IllegalArgumentException("a plan has one cue per time, and at least one time");
    }
  }

  /**
   * The plan for a video of {@code durationSeconds} whose frames last {@code frameSeconds}.
   *
   * @throws BadArgumentException if a given time is past the end, or an interval makes too many
   */
  public static ThumbnailPlan of(ThumbnailOptions o, double durationSeconds, double frameSeconds, String name) {
    double d = durationSeconds;
    double last = Math.max(0, d - frameSeconds);
    List<Double> times = new ArrayList<>();
    List<Cue> cues = new ArrayList<>();
    if (o.count() != null) {
      int n = o.count();
      for (int i = 0; i < n; i++) {
        times.add(Math.min(last, (i + 0.5) * d / n));
        cues.add(new Cue(i * d / n, (i + 1) * d / n));
      }
    } else if (o.every() != null) {
      double s = o.every();
      long n = (long) Math.ceil(d / s - 1e-9);
      if (n > ThumbnailOptions.MAX_THUMBNAILS) {
        throw new BadArgumentException(String.format(Locale.ROOT,
            "a thumbnail every %s s makes %d of %s (%.2f s); at most %d: choose a longer interval",
            trim(s), n, name, d, ThumbnailOptions.MAX_THUMBNAILS));
      }
      for (long k = 0; k < Math.max(1, n); k++) {
        times.add(Math.min(last, k * s));
        cues.add(new Cue(k * s, Math.min(d, (k + 1) * s)));
      }
    } else {
      List<Double> given = new ArrayList<>(new TreeSet<>(o.at()));
      for (double t : given) {
        if (t >= d) {
          throw new BadArgumentException(String.format(Locale.ROOT,
              "thumbnail time %s s is past the end of %s (%.2f s)", trim(t), name, d));
        }
      }
      for (int i = 0; i < given.size(); i++) {
        times.add(Math.min(last, given.get(i)));
        cues.add(new Cue(given.get(i), i + 1 < given.size() ? given.get(i + 1) : d));
      }
    }
    return new ThumbnailPlan(times, cues);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * A WebVTT thumbnail track: one cue per thumbnail, its text the image a player shows for that
   * span, {@code targets.get(i)} (a file name, with {@code #xywh=} for a region of a sprite).
   */
  public String webVtt(List<String> targets) {
    StringBuilder sb = new StringBuilder("WEBVTT\n");
    for (int i = 0; i < cues.size(); i++) {
      sb.append('\n').append(i + 1).append('\n')
          .append(timestamp(cues.get(i).start())).append(" --> ").append(timestamp(cues.get(i).end())).append('\n')
          .append(targets.get(i)).append('\n');
    }
    return sb.toString();
  }

  private static String timestamp(double seconds) {
    long ms = Math.round(seconds * 1000);
    return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
  }
}
