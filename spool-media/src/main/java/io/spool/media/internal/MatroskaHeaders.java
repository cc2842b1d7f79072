package io.spool.media.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a Matroska or WebM file's segment information and track headers say of its length and its
 * first video track, read from the first megabyte without a process. For estimating how much work
 * a file is, not for checking it: nothing past those headers is read, and a file whose headers lie
 * elsewhere (after its first cluster) or say no duration is left undescribed.
 */
public final class MatroskaHeaders {
  private static final int EBML = 0x1A45DFA3;
  private static final int SEGMENT = 0x18538067;
  private static final int INFO = 0x1549A966;
  private static final int TIMESTAMP_SCALE = 0x2AD7B1;
  private static final int DURATION = 0x4489;
  private static final int TRACKS = 0x1654AE6B;
  private static final int TRACK_ENTRY = 0xAE;
  private static final int TRACK_TYPE = 0x83;
  private static final int DEFAULT_DURATION = 0x23E383;
  private static final int VIDEO = 0xE0;
  private static final int PIXEL_WIDTH = 0xB0;
  private static final int PIXEL_HEIGHT = 0xBA;
  private static final int CLUSTER = 0x1F43B675;
  private static final int READ = 1 << 20;

  /**
   * The headers' account of a file.
   *
   * @param frameRate frames a second, from the video track's default frame duration; 0 when it
   *     has none
   */
  public record Summary(double durationSeconds, int width, int height, double frameRate, boolean audio) {}

  private MatroskaHeaders() {}

  /** Whether the file starts as an EBML (Matroska, WebM) document. */
  public static boolean looksLike(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(4);
      return ch.read(head, 0) == 4 && head.getInt(0) == EBML;
    } catch (IOException e) {
      return false;
    }
  }

  /** The file's summary, or empty where its first megabyte does not hold what one needs. */
  public static Optional<Summary> read(Path file) {
    ByteBuffer buf;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      buf = ByteBuffer.allocate((int) Math.min(READ, ch.size()));
      while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
        // fill
      }
      buf.flip();
    } catch (IOException e) {
      return Optional.empty();
    }
    try {
      return summary(buf);
    } catch (IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  private static Optional<Summary> summary(ByteBuffer buf) {
    Element header = Element.at(buf, 0);
    if (header == null || header.id != EBML || header.unknownSize()) {
      return Optional.empty();
    }
    Element segment = Element.at(buf, header.end());
    if (segment == null || segment.id != SEGMENT) {
      return Optional.empty();
    }
    long scale = 1_000_000;
    double duration = -1;
    Summary tracks = null;
    int pos = segment.start;
    while (duration < 0 || tracks == null) {
      Element e = Element.at(buf, pos);
      if (e == null || e.id == CLUSTER || e.unknownSize() || e.end() > buf.limit()) {
        break;
      }
      if (e.id == INFO) {
        for (Element c : children(buf, e)) {
          if (c.id == TIMESTAMP_SCALE) {
            scale = c.unsigned(buf);
          } else if (c.id == DURATION) {
            duration = c.floating(buf);
          }
        }
      } else if (e.id == TRACKS) {
        tracks = tracks(buf, e);
      }
      pos = e.end();
    }
    double seconds = duration * scale / 1e9;
    if (tracks == null || !(seconds > 0) || !Double.isFinite(seconds)) {
      return Optional.empty();
    }
    return Optional.of(new Summary(seconds, tracks.width(), tracks.height(), tracks.frameRate(), tracks.audio()));
  }

  /** The first video track's size and frame rate, and whether any track is audio. */
  private static Summary tracks(ByteBuffer buf, Element tracks) {
    int width = 0;
    int height = 0;
    double rate = 0;
    boolean video = false;
    boolean audio = false;
    for (Element entry : children(buf, tracks)) {
      if (entry.id != TRACK_ENTRY) {
        continue;
      }
      long type = 0;
      long frameNanos = 0;
      int w = 0;
      int h = 0;
      for (Element c : children(buf, entry)) {
        if (c.id == TRACK_TYPE) {
          type = c.unsigned(buf);
        } else if (c.id == DEFAULT_DURATION) {
          frameNanos = c.unsigned(buf);
        } else if (c.id == VIDEO) {
          for (Element v : children(buf, c)) {
            if (v.id == PIXEL_WIDTH) {
              w = (int) Math.max(0, Math.min(1 << 16, v.unsigned(buf)));
            } else if (v.id == PIXEL_HEIGHT) {
              h = (int) Math.max(0, Math.min(1 << 16, v.unsigned(buf)));
            }
          }
        }
      }
      if (type == 1 && !video) {
        video = true;
        width = w;
        height = h;
        rate = frameNanos > 0 ? 1e9 / frameNanos : 0;
      } else if (type == 2) {
        audio = true;
      }
    }
    return new Summary(0, width, height, rate, audio);
  }

  /** The elements inside {@code parent}, up to the first that is malformed or runs past it. */
  private static List<Element> children(ByteBuffer buf, Element parent) {
    List<Element> out = new ArrayList<>();
    int end = Math.min(parent.end(), buf.limit());
    for (int p = parent.start; p < end; ) {
      Element c = Element.at(buf, p);
      if (c == null || c.unknownSize() || c.end() > end) {
        break;
      }
      out.add(c);
      p = c.end();
    }
    return out;
  }

  /** An EBML element: its ID (marker bits kept), where its data starts and how long it is (-1: unknown). */
  private record Element(int id, int start, long size) {
    static Element at(ByteBuffer buf, int pos) {
      if (pos >= buf.limit()) {
        return null;
      }
      int first = buf.get(pos) & 0xFF;
      int idLength = Integer.numberOfLeadingZeros(first) - 23;
      if (first == 0 || idLength > 4) {
        return null;
      }
      int id = 0;
      for (int i = 0; i < idLength; i++) {
        id = (id << 8) | (buf.get(pos + i) & 0xFF);
      }
      int at = pos + idLength;
      int lead = buf.get(at) & 0xFF;
      if (lead == 0) {
        return null;
      }
      int sizeLength = Integer.numberOfLeadingZeros(lead) - 23;
      long size = lead & (0xFF >> sizeLength);
      boolean allOnes = size == (0xFF >> sizeLength);
      for (int i = 1; i < sizeLength; i++) {
        int b = buf.get(at + i) & 0xFF;
        allOnes &= b == 0xFF;
        size = (size << 8) | b;
      }
      return new Element(id, at + sizeLength, allOnes ? -1 : size);
    }

    boolean unknownSize() {
      return size < 0;
    }

    /** Where the element ends (for an element of unknown size, where its data starts). */
    int end() {
      return (int) Math.min(Integer.MAX_VALUE, start + Math.max(0, size));
    }

    long unsigned(ByteBuffer buf) {
      long v = 0;
      for (int i = 0; i < Math.min(size, 8); i++) {
        v = (v << 8) | (buf.get(start + i) & 0xFF);
      }
      return v;
    }

    double floating(ByteBuffer buf) {
      return size == 4 ? buf.getFloat(start) : size == 8 ? buf.getDouble(start) : -1;
    }
  }
}
