package io.spool.media.internal;

import io.spool.media.ColorInfo;
import io.spool.media.InvalidInputException;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.Rational;
import io.spool.media.StreamType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads back a finished (non-fragmented) MP4 and checks that it is whole: every top-level box
 * ends exactly where the next begins and the last at the end of the file; there is one movie
 * header; every track's sample tables agree with each other, and every sample's bytes lie inside
 * a media-data box. A file that passes is described as {@link MediaInfo} from its headers.
 *
 * <p>It is stricter than ffprobe, which reads a fast-start file's headers and never notices a
 * media-data box cut short behind them, and it costs no process. Tracks without samples are left
 * out, as nothing can be decoded from them. Fragmented files, and a movie header too large to
 * read at once, are not checked here: {@link #read} returns empty and the caller uses ffprobe.
 */
public final class Mp4Check {
  /** What ffprobe calls the format, so that both describe a file the same way. */
  public static final String FORMAT_NAME = "mov,mp4,m4a,3gp,3g2,mj2";
  private static final long MAX_MOVIE_HEADER = 64L << 20;

  private Mp4Check() {}

  /**
   * The file's description, empty when it uses what this check does not cover.
   *
   * @throws InvalidInputException when the file is incomplete or inconsistent, naming the fault
   */
  public static Optional<MediaInfo> read(Path file) {
    return scan(file, Use.CHECK);
  }

  /**
   * The file's description from its headers alone, without checking that its samples lie inside
   * it: for estimating how much work it is, where no more is needed and the check would cost as
   * much as the rest (in the coordinating process, before any job starts).
   *
   * @throws InvalidInputException when the headers themselves are incomplete or inconsistent
   */
  public static Optional<MediaInfo> readHeaders(Path file) {
    return scan(file, Use.ESTIMATE);
  }

  /**
   * The description of an input, for planning a transcode without an ffprobe process, or empty
   * when ffprobe should describe it instead: when the file is not a whole plain MP4 of H.264 video
   * and mono or stereo AAC audio read here to the last field a plan uses, or has anything else
   * (rotation, interlacing, edit lists that move streams, cover art, chapters, other tracks) where
   * ffprobe's reading could differ from this one. Never throws for a bad file: ffprobe then says
   * what is wrong with it, as for any other input.
   */
  public static Optional<MediaInfo> readInput(Path file) {
    try {
      return scan(file, Use.PLAN);
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  /** What a file is read for: a check of the whole file, a transcode's plan, or an estimate. */
  private enum Use { CHECK, PLAN, ESTIMATE }

  private static Optional<MediaInfo> scan(Path file, Use use) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      List<long[]> mediaData = new ArrayList<>();
      ByteBuffer movie = null;
      long pos = 0;
      boolean first = true;
      while (pos < size) {
        ByteBuffer head = readAt(ch, pos, (int) Math.min(16, size - pos));
        Box box = Box.at(head, 0, pos, size, "file");
        if (first && !box.type.equals("ftyp")) {
          throw broken(file, "it does not start with a file-type box");
        }
        first = false;
        switch (box.type) {
          case "moov" -> {
            if (movie != null) {
              throw broken(file, "it has two movie headers");
            }
            if (box.payloadSize() > MAX_MOVIE_HEADER) {
              return Optional.empty();
            }
            movie = readAt(ch, box.payloadStart, (int) box.payloadSize());
          }
          case "mdat" -> mediaData.add(new long[] {box.payloadStart, box.end});
          case "moof", "mfra", "sidx" -> {
            return Optional.empty();
          }
          default -> { }
        }
        pos = box.end;
      }
      if (movie == null) {
        throw broken(file, size == 0 ? "it is empty" : "it has no movie header (it was not finished)");
      }
      return Optional.ofNullable(describe(file, size, movie, mediaData, use));
    } catch (BrokenBox e) {
      throw broken(file, e.getMessage());
    } catch (IndexOutOfBoundsException e) {
      throw broken(file, "a header is shorter than its fields");
    } catch (ArithmeticException e) {
      throw broken(file, "its sample tables add up to more bytes than a file can hold");
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + file.getFileName() + ": " + e.getMessage());
    }
  }

  /**
   * The description, or null for a fragmented movie (its samples live in fragments, not here) and,
   * {@code forPlanning}, for one that {@link #readInput} leaves to ffprobe.
   */
  private static MediaInfo describe(Path file, long size, ByteBuffer movie, List<long[]> mediaData, Use use) {
    boolean forPlanning = use == Use.PLAN;
    long timescale = 0;
    long duration = 0;
    List<MediaStream> streams = new ArrayList<>();
    int index = 0;
    for (Box b : children(file, movie, 0, movie.limit(), "moov")) {
      switch (b.type) {
        case "mvhd" -> {
          int v = movie.get(b.payload());
          timescale = u32(movie, b.payload() + (v == 1 ? 20 : 12));
          duration = v == 1 ? movie.getLong(b.payload() + 24) : u32(movie, b.payload() + 16);
        }
        case "mvex" -> {
          return null;
        }
        case "trak" -> {
          Track t = Track.read(file, movie, b);
          if (use != Use.ESTIMATE) {
            t.checkSamplesInside(file, mediaData);
          }
          if (forPlanning && !t.plainForPlanning()) {
            return null;
          }
          if (t.sampleCount > 0) {
            streams.add(t.stream(index));
          }
          index++;
        }
        case "udta", "meta" -> {
          // Cover art becomes a stream in ffprobe's reading, and chapters are read from here.
          if (forPlanning && (contains(movie, b, "covr") || contains(movie, b, "chpl"))) {
            return null;
          }
        }
        default -> { }
      }
    }
    if (timescale <= 0) {
      throw broken(file, "its movie header has no time scale");
    }
    if (forPlanning && streams.isEmpty()) {
      return null;
    }
    double seconds = (double) duration / timescale;
    long bitRate = seconds > 0 ? Math.round(size * 8 / seconds) : 0;
    return new MediaInfo(file, FORMAT_NAME, "QuickTime / MOV", seconds, size, bitRate, streams, List.of(), Map.of());
  }

  /** One track's headers and sample tables. */
  private static final class Track {
    String handler = "";
    String entry = "";
    int entries;
    boolean enabled;
    /** The track header's matrix is the identity: no rotation, flip or scaling. */
    boolean upright;
    /** No edit list, or one edit that plays the whole media at normal speed from a point in it. */
    boolean plainEdits = true;
    CodecConfig.Picture picture = CodecConfig.Picture.UNKNOWN;
    CodecConfig.Sound sound = CodecConfig.Sound.UNKNOWN;
    int codedWidth;
    int codedHeight;
    double displayWidth;
    double displayHeight;
    Rational sar = Rational.UNKNOWN;
    ColorInfo color = ColorInfo.UNSPECIFIED;
    boolean colorBox;
    int channels;
    int sampleRate;
    long timescale;
    long duration;
    String language;
    long sampleCount = -1;
    long totalBytes;
    long fixedSampleSize;
    /** Where the table of per-sample sizes starts in the movie header; -1 when all are the same. */
    int sampleSizeTable = -1;
    /** The movie header that the table positions point into. */
    ByteBuffer header;
    /** Chunk offsets (stco/co64) and sample-to-chunk runs (stsc): where they start, how many. */
    int chunkTable = -1;
    boolean wideChunkOffsets;
    int chunkCount;
    int runTable = -1;
    int runCount;

    static Track read(Path file, ByteBuffer buf, Box trak) {
      Track t = new Track();
      t.header = buf;
      t.walk(file, buf, trak);
      if (t.timescale <= 0) {
        throw broken(file, "a track has no media header");
      }
      if (t.sampleCount < 0 || t.chunkTable < 0 || t.runTable < 0) {
        throw broken(file, "a track has no sample tables");
      }
      return t;
    }

    private void walk(Path file, ByteBuffer buf, Box parent) {
      for (Box b : children(file, buf, parent.payload(), parent.payloadEnd(), parent.type)) {
        int p = b.payload();
        switch (b.type) {
          case "mdia", "minf", "stbl", "edts" -> walk(file, buf, b);
          case "elst" -> plainEdits = plainEditList(buf, p, b.payloadEnd());
          case "tkhd" -> {
            enabled = (buf.getInt(p) & 1) != 0;
            int at = p + (buf.get(p) == 1 ? 88 : 76);
            need(file, b, at + 8);
            upright = true;
            int[] identity = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};
            for (int i = 0; i < 9; i++) {
              upright &= buf.getInt(at - 36 + 4 * i) == identity[i];
            }
            displayWidth = u32(buf, at) / 65536.0;
            displayHeight = u32(buf, at + 4) / 65536.0;
          }
          case "mdhd" -> {
            int v = buf.get(p);
            timescale = u32(buf, p + (v == 1 ? 20 : 12));
            duration = v == 1 ? buf.getLong(p + 24) : u32(buf, p + 16);
            language = language(buf.getShort(p + (v == 1 ? 32 : 20)));
          }
          case "hdlr" -> {
            if (parent.type.equals("mdia")) {
              handler = fourcc(buf, p + 8);
            }
          }
          case "stsd" -> sampleEntry(file, buf, b);
          case "stsz" -> {
            fixedSampleSize = u32(buf, p + 4);
            sampleCount = u32(buf, p + 8);
            if (fixedSampleSize == 0) {
              need(file, b, p + 12 + 4 * sampleCount);
              sampleSizeTable = p + 12;
              for (int i = 0; i < sampleCount; i++) {
                totalBytes += u32(buf, sampleSizeTable + 4 * i);
              }
            } else {
              totalBytes = Math.multiplyExact(fixedSampleSize, sampleCount);
            }
          }
          case "stsc" -> {
            long n = u32(buf, p + 4);
            need(file, b, p + 8 + 12 * n);
            runTable = p + 8;
            runCount = (int) n;
          }
          case "stco", "co64" -> {
            wideChunkOffsets = b.type.equals("co64");
            long n = u32(buf, p + 4);
            need(file, b, p + 8 + (wideChunkOffsets ? 8 : 4) * n);
            chunkTable = p + 8;
            chunkCount = (int) n;
          }
          case "stz2" -> throw broken(file, "it uses compact sample sizes, which this check does not read");
          default -> { }
        }
      }
    }

    private void sampleEntry(Path file, ByteBuffer buf, Box stsd) {
      if (u32(buf, stsd.payload() + 4) < 1) {
        throw broken(file, "a track has no sample description");
      }
      List<Box> descriptions = children(file, buf, stsd.payload() + 8, stsd.payloadEnd(), "stsd");
      if (descriptions.isEmpty()) {
        throw broken(file, "a track has no sample description");
      }
      entries = descriptions.size();
      Box e = descriptions.get(0);
      entry = e.type;
      int p = e.payload();
      if (handler.equals("vide")) {
        codedWidth = Short.toUnsignedInt(buf.getShort(p + 24));
        codedHeight = Short.toUnsignedInt(buf.getShort(p + 26));
        Box avcC = null;
        for (Box c : children(file, buf, p + 78, e.payloadEnd(), e.type)) {
          int q = c.payload();
          switch (c.type) {
            case "pasp" -> sar = c.payloadEnd() - q >= 8 ? Rational.of(u32(buf, q), u32(buf, q + 4)).reduced() : sar;
            case "colr" -> {
              if (c.payloadEnd() - q >= 11 && fourcc(buf, q).equals("nclx")) {
                color = color(buf, q + 4);
                colorBox = true;
              }
            }
            case "avcC" -> avcC = c;
            case "hvcC" -> picture = CodecConfig.hevc(buf, q, c.payloadEnd());
            default -> { }
          }
        }
        if (avcC != null) {
          picture = CodecConfig.avc(buf, avcC.payload(), avcC.payloadEnd(), "pc".equals(color.range()));
        }
      } else if (handler.equals("soun")) {
        int version = Short.toUnsignedInt(buf.getShort(p + 8));
        channels = Short.toUnsignedInt(buf.getShort(p + 16));
        sampleRate = (int) (u32(buf, p + 24) >>> 16);
        int extensions = p + 28 + (version == 1 ? 16 : version == 2 ? 36 : 0);
        if (version == 2) {
          sampleRate = (int) Math.round(buf.getDouble(p + 32));
          channels = (int) u32(buf, p + 40);
        }
        for (Box c : children(file, buf, extensions, e.payloadEnd(), e.type)) {
          switch (c.type) {
            case "esds" -> {
              sound = CodecConfig.esds(buf, c.payload() + 4, c.payloadEnd());
              channels = sound.channelConfiguration() > 0 && sound.channelConfiguration() <= 6
                  ? sound.channelConfiguration() : sound.channelConfiguration() == 7 ? 8 : channels;
            }
            case "dac3" -> channels = CodecConfig.ac3Channels(buf, c.payload(), c.payloadEnd());
            case "dOps" -> channels = c.payloadEnd() - c.payload() > 1 ? Byte.toUnsignedInt(buf.get(c.payload() + 1)) : channels;
            default -> { }
          }
        }
      }
    }

    /** Every chunk's samples lie wholly inside one media-data box, and the tables cover every sample. */
    void checkSamplesInside(Path file, List<long[]> mediaData) {
      long sample = 0;
      int run = 0;
      for (int i = 0; i < chunkCount; i++) {
        while (run + 1 < runCount && firstChunkOfRun(run + 1) <= i + 1) {
          run++;
        }
        long perChunk = runCount == 0 || firstChunkOfRun(run) > i + 1 ? 0 : u32(header, runTable + 12 * run + 4);
        long count = Math.min(perChunk, sampleCount - sample);
        long bytes = Math.multiplyExact(count, fixedSampleSize);
        if (sampleSizeTable >= 0) {
          for (long k = 0; k < count; k++) {
            bytes += u32(header, sampleSizeTable + (int) (4 * (sample + k)));
          }
        }
        sample += count;
        if (bytes == 0) {
          continue;
        }
        long start = wideChunkOffsets ? header.getLong(chunkTable + 8 * i) : u32(header, chunkTable + 4 * i);
        long end = Math.addExact(start, bytes);
        boolean inside = false;
        for (long[] m : mediaData) {
          inside |= start >= m[0] && end <= m[1];
        }
        if (!inside) {
          throw broken(file, String.format(Locale.ROOT,
              "a %s track's data at bytes %d-%d lies outside the media data (the file is cut short)", kind(), start, end));
        }
      }
      if (sample != sampleCount) {
        throw broken(file, "a " + kind() + " track's sample tables disagree (" + sample + " of " + sampleCount + " samples placed)");
      }
    }

    private long firstChunkOfRun(int run) {
      return u32(header, runTable + 12 * run);
    }

    private String kind() {
      return switch (handler) {
        case "vide" -> "video";
        case "soun" -> "audio";
        default -> handler;
      };
    }

    MediaStream stream(int index) {
      StreamType type = switch (handler) {
        case "vide" -> StreamType.VIDEO;
        case "soun" -> StreamType.AUDIO;
        case "sbtl", "subt" -> StreamType.SUBTITLE;
        case "text" -> entry.equals("tx3g") ? StreamType.SUBTITLE : StreamType.DATA;
        default -> StreamType.DATA;
      };
      double seconds = (double) duration / timescale;
      boolean video = type == StreamType.VIDEO;
      int shownW = video ? (int) Math.round(displayWidth > 0 ? displayWidth : codedWidth) : 0;
      int shownH = video ? (int) Math.round(displayHeight > 0 ? displayHeight : codedHeight) : 0;
      Rational rate = video && duration > 0 ? Rational.of(sampleCount * timescale, duration).reduced() : Rational.UNKNOWN;
      Rational dar = video && shownH > 0 ? Rational.of(shownW, shownH).reduced() : Rational.UNKNOWN;
      boolean audio = type == StreamType.AUDIO;
      String codec = codec();
      CodecConfig.Sequence sps = picture.sequence();
      Rational aspect = sar.isKnown() || sps == null ? sar : sps.sar().reduced();
      ColorInfo colors = colorBox || sps == null || sps.fullRange() < 0 ? color : color(sps);
      return new MediaStream(index, type, codec, CodecConfig.longName(codec),
          video ? picture.profile() : audio ? sound.profile() : null, video ? picture.pixelFormat() : null,
          video ? codedWidth : 0, video ? codedHeight : 0, 0, shownW, shownH,
          video ? aspect : Rational.UNKNOWN, dar, rate, rate, false,
          video && sps != null && sps.framesOnly() ? "progressive" : null, video ? colors : ColorInfo.UNSPECIFIED,
          channels, audio ? CodecConfig.channelLayout(channels) : null, sampleRate, language,
          enabled ? Set.of("default") : Set.of(), seconds,
          seconds > 0 ? Math.round(totalBytes * 8 / seconds) : 0, null);
    }

    /**
     * Whether this track is one that {@link #readInput} describes as ffprobe would for a plan:
     * upright progressive H.264 whose sequence parameter set was read to its colour fields and
     * agrees with the sample entry, or mono or stereo AAC; one sample description, samples, and
     * no edit list that moves the stream.
     */
    boolean plainForPlanning() {
      if (entries != 1 || sampleCount <= 0 || !plainEdits) {
        return false;
      }
      if (handler.equals("soun")) {
        return entry.equals("mp4a") && sound.objectType() == 0x40 && sound.profile() != null
            && (sound.channelConfiguration() == 1 || sound.channelConfiguration() == 2) && sampleRate > 0;
      }
      CodecConfig.Sequence sps = picture.sequence();
      return handler.equals("vide") && (entry.equals("avc1") || entry.equals("avc3")) && upright
          && sps != null && sps.framesOnly() && sps.width() == codedWidth && sps.height() == codedHeight
          && picture.profile() != null && picture.pixelFormat() != null
          && (!colorBox || sps.fullRange() < 0 || color.equals(color(sps)));
    }

    /** ffprobe's codec name for the sample entry. */
    private String codec() {
      return switch (entry) {
        case "avc1", "avc3" -> "h264";
        case "hvc1", "hev1" -> "hevc";
        case "av01" -> "av1";
        case "vp09" -> "vp9";
        case "mp4v" -> "mpeg4";
        case "Opus" -> "opus";
        case "fLaC" -> "flac";
        case "alac" -> "alac";
        case ".mp3" -> "mp3";
        case "sowt" -> "pcm_s16le";
        case "twos" -> "pcm_s16be";
        case "in24" -> "pcm_s24be";
        case "fl32" -> "pcm_f32be";
        case "ac-3" -> "ac3";
        case "ec-3" -> "eac3";
        case "tx3g" -> "mov_text";
        case "wvtt" -> "webvtt";
        case "text" -> "bin_data";
        case "mp4a" -> switch (sound.objectType()) {
          case 0x69, 0x6B -> "mp3";
          case 0xA5 -> "ac3";
          case 0xA6 -> "eac3";
          default -> "aac";
        };
        default -> entry.strip();
      };
    }
  }

  /** One edit that plays the media from a point in it at normal speed (ffmpeg writes these). */
  private static boolean plainEditList(ByteBuffer buf, int p, int end) {
    int version = buf.get(p);
    int at = p + 8 + (version == 1 ? 16 : 8);
    if (at + 4 > end || u32(buf, p + 4) != 1) {
      return false;
    }
    long mediaTime = version == 1 ? buf.getLong(at - 8) : buf.getInt(at - 4);
    return mediaTime >= 0 && buf.getInt(at) == 0x10000;
  }

  /** Whether box {@code b} holds a box of {@code type} anywhere inside it. */
  private static boolean contains(ByteBuffer buf, Box b, String type) {
    byte[] want = type.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = b.payload(); i + 4 <= b.payloadEnd(); i++) {
      if (buf.get(i) == want[0] && buf.get(i + 1) == want[1] && buf.get(i + 2) == want[2] && buf.get(i + 3) == want[3]) {
        return true;
      }
    }
    return false;
  }

  /** The colour description of an H.264 sequence's video usability information. */
  private static ColorInfo color(CodecConfig.Sequence sps) {
    return color(sps.primaries(), sps.transfer(), sps.matrix(), sps.fullRange() == 1);
  }

  /** An 'nclx' colour box in ffmpeg's names (ITU-T H.273 code points). */
  private static ColorInfo color(ByteBuffer buf, int at) {
    return color(Short.toUnsignedInt(buf.getShort(at)), Short.toUnsignedInt(buf.getShort(at + 2)),
        Short.toUnsignedInt(buf.getShort(at + 4)), (buf.get(at + 6) & 0x80) != 0);
  }

  private static ColorInfo color(int primaries, int transfer, int matrix, boolean full) {
    return new ColorInfo(full ? "pc" : "tv",
        name(matrix, Map.of(0, "gbr", 1, "bt709", 5, "bt470bg", 6, "smpte170m", 9, "bt2020nc", 10, "bt2020c")),
        name(transfer, Map.of(1, "bt709", 6, "smpte170m", 8, "linear", 13, "iec61966-2-1", 14, "bt2020-10",
            15, "bt2020-12", 16, "smpte2084", 18, "arib-std-b67")),
        name(primaries, Map.of(1, "bt709", 5, "bt470bg", 6, "smpte170m", 9, "bt2020", 12, "smpte432")));
  }

  private static String name(int code, Map<Integer, String> names) {
    return names.get(code);
  }

  /** A packed ISO 639-2 code; below 0x400 an old Macintosh language code, of which 0 is English. */
  private static String language(short packed) {
    if (packed == 0) {
      return "eng";
    }
    if (packed < 0x400 || packed == 0x7FFF) {
      return null;
    }
    char[] c = {(char) (((packed >> 10) & 0x1F) + 0x60), (char) (((packed >> 5) & 0x1F) + 0x60),
        (char) ((packed & 0x1F) + 0x60)};
    return new String(c);
  }

  /** A box header: where it is and how long it says it is, checked against its container. */
  private record Box(String type, long start, long payloadStart, long end) {
    static Box at(ByteBuffer buf, int at, long start, long limit, String container) {
      if (limit - start < 8 || buf.limit() - at < 8) {
        throw new BrokenBox("a box header in '" + container + "' is cut off at byte " + start);
      }
      long size = u32(buf, at);
      String type = fourcc(buf, at + 4);
      long header = 8;
      if (size == 1) {
        if (limit - start < 16 || buf.limit() - at < 16) {
          throw new BrokenBox("the header of box '" + type + "' is cut off at byte " + start);
        }
        size = buf.getLong(at + 8);
        header = 16;
      } else if (size == 0) {
        size = limit - start;
      }
      if (size < header) {
        throw new BrokenBox("box '" + type + "' at byte " + start + " has an impossible size " + size);
      }
      if (size > limit - start) {
        throw new BrokenBox(String.format(Locale.ROOT, "box '%s' at byte %d needs %d bytes but %s has only %d left (it was cut short)",
            type, start, size, container, limit - start));
      }
      return new Box(type, start, start + header, start + size);
    }

    long payloadSize() {
      return end - payloadStart;
    }

    int payload() {
      return (int) payloadStart;
    }

    int payloadEnd() {
      return (int) end;
    }
  }

  private static List<Box> children(Path file, ByteBuffer buf, int from, int to, String container) {
    List<Box> out = new ArrayList<>();
    int p = from;
    try {
      while (p < to) {
        Box b = Box.at(buf, p, p, to, container);
        out.add(b);
        p = (int) b.end;
      }
    } catch (BrokenBox e) {
      throw broken(file, e.getMessage());
    }
    return out;
  }

  private static void need(Path file, Box b, long end) {
    if (end > b.end) {
      throw broken(file, "box '" + b.type + "' is shorter than its own table");
    }
  }

  private static ByteBuffer readAt(FileChannel ch, long pos, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (ch.read(buf, pos + buf.position()) < 0) {
        throw new IOException("the file ended at byte " + (pos + buf.position()));
      }
    }
    return buf.flip();
  }

  private static long u32(ByteBuffer buf, int at) {
    return Integer.toUnsignedLong(buf.getInt(at));
  }

  private static String fourcc(ByteBuffer buf, int at) {
    byte[] b = new byte[4];
    buf.get(at, b);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static InvalidInputException broken(Path file, String why) {
    return new InvalidInputException(file.getFileName() + " is not a whole MP4: " + why);
  }

  /** A box that does not fit; becomes an {@link InvalidInputException} naming the file. */
  private static final class BrokenBox extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BrokenBox(String message) {
      super(message, null, false, false);
    }
  }
}
