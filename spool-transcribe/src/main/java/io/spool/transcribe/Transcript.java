package io.spool.transcribe;

import io.spool.media.BadArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What was said in a media file: its timed segments in order, the language they are in, and how
 * long the media is.
 *
 * @param language the language's ISO 639-1 code ({@code en}); null where the engine could not say
 * @param durationSeconds the media's duration, as ffprobe reads it
 */
public record Transcript(String language, double durationSeconds, List<Segment> segments) {
  public Transcript {
    if (!(durationSeconds >= 0)) {
      throw new BadArgumentException("duration must be >= 0 s, got " + durationSeconds);
    }
    segments = List.copyOf(segments);
    double last = 0;
    for (Segment s : segments) {
      if (s.startSeconds() < last - 1e-6) {
        throw new BadArgumentException("segments must be in order: one starts at " + s.startSeconds()
            + " s, before the one before it ends (" + last + " s)");
      }
      last = s.endSeconds();
    }
  }

  /** The whole text: the segments' texts joined by spaces. */
  public String text() {
    return segments.stream().map(Segment::text).filter(t -> !t.isEmpty()).collect(Collectors.joining(" "));
  }

  /**
   * The transcripts of consecutive pieces of one file as one: each piece's segments shifted by
   * where the piece starts, the language of the first piece that names one.
   *
   * @param starts where each piece starts in the whole file, in seconds
   */
  public static Transcript join(List<Transcript> pieces, List<Double> starts, double durationSeconds) {
    if (pieces.size() != starts.size()) {
      throw new IllegalArgumentException(pieces.size() + " pieces but " + starts.size() + " start times");
    }
    List<Segment> all = new ArrayList<>();
    String language = null;
    double end = 0;
    for (int i = 0; i < pieces.size(); i++) {
      Transcript t = pieces.get(i);
      if (language == null) {
        language = t.language();
      }
      for (Segment s : t.segments()) {
        Segment moved = s.shifted(starts.get(i));
        // A piece's last words may run a little past where the next piece starts.
        double start = Math.max(moved.startSeconds(), end);
        all.add(new Segment(start, Math.max(start, moved.endSeconds()), moved.text()));
        end = Math.max(start, moved.endSeconds());
      }
    }
    return new Transcript(language, durationSeconds, all);
  }
}
