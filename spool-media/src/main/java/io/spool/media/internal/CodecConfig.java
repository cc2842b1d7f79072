package io.spool.media.internal;

import io.spool.media.Rational;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * What an MP4 sample entry's decoder configuration says about its stream, in ffprobe's words:
 * profile and pixel format from H.264 (avcC: the sequence parameter set) and HEVC (hvcC), audio
 * profile and channels from an MPEG-4 elementary-stream descriptor (esds). Fields it cannot
 * read stay null.
 */
final class CodecConfig {
  private static final Map<String, String> LONG_NAMES = Map.ofEntries(
      Map.entry("h264", "H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10"),
      Map.entry("hevc", "H.265 / HEVC (High Efficiency Video Coding)"),
      Map.entry("av1", "Alliance for Open Media AV1"),
      Map.entry("vp9", "Google VP9"),
      Map.entry("mpeg4", "MPEG-4 part 2"),
      Map.entry("aac", "AAC (Advanced Audio Coding)"),
      Map.entry("mp3", "MP3 (MPEG audio layer 3)"),
      Map.entry("opus", "Opus (Opus Interactive Audio Codec)"),
      Map.entry("flac", "FLAC (Free Lossless Audio Codec)"),
      Map.entry("alac", "ALAC (Apple Lossless Audio Codec)"),
      Map.entry("ac3", "ATSC A/52A (AC-3)"),
      Map.entry("eac3", "ATSC A/52B (AC-3, E-AC-3)"),
      Map.entry("mov_text", "MOV text"),
      Map.entry("pcm_s16le", "PCM signed 16-bit little-endian"),
      Map.entry("pcm_s16be", "PCM signed 16-bit big-endian"));

  private CodecConfig() {}

  /**
   * A video stream's profile and pixel format, and for H.264 what its whole sequence parameter
   * set says ({@code sequence}, null when it could not be read to the end of its colour fields).
   */
  record Picture(String profile, String pixelFormat, Sequence sequence) {
    static final Picture UNKNOWN = new Picture(null, null, null);
  }

  /**
   * An H.264 sequence parameter set's picture facts (H.264 7.3.2.1.1 and E.1.1): the cropped size,
   * whether every picture is a frame, and the VUI's sample aspect ratio ({@link Rational#UNKNOWN}
   * when absent) and signal type ({@code -1} codes when absent).
   */
  record Sequence(int width, int height, boolean framesOnly, Rational sar, int fullRange, int primaries,
      int transfer, int matrix) {}

  /** Table E-1: sample aspect ratios by aspect_ratio_idc 1..16. */
  private static final int[][] SAR = {{1, 1}, {12, 11}, {10, 11}, {16, 11}, {40, 33}, {24, 11}, {20, 11},
      {32, 11}, {80, 33}, {18, 11}, {15, 11}, {64, 33}, {160, 99}, {4, 3}, {3, 2}, {2, 1}};

  /** An audio stream's codec (by object type), profile and channel configuration. */
  record Sound(int objectType, String profile, int channelConfiguration) {
    static final Sound UNKNOWN = new Sound(-1, null, 0);
  }

  static String longName(String codec) {
    return LONG_NAMES.get(codec);
  }

  /** ffprobe's layout name for a channel count, where the count alone decides it. */
  static String channelLayout(int channels) {
    return switch (channels) {
      case 1 -> "mono";
      case 2 -> "stereo";
      default -> null;
    };
  }

  /**
   * From an avcC box's payload: the first sequence parameter set. Like every reader here it only
   * describes; a configuration it cannot read gives unknown fields, never a failed check.
   */
  static Picture avc(ByteBuffer buf, int at, int end, boolean fullRange) {
    try {
      return avc(buf.slice(at, end - at), fullRange);
    } catch (IndexOutOfBoundsException e) {
      return Picture.UNKNOWN;
    }
  }

  private static Picture avc(ByteBuffer box, boolean fullRange) {
    if (box.limit() < 8 || (box.get(5) & 0x1F) == 0) {
      return Picture.UNKNOWN;
    }
    int length = Short.toUnsignedInt(box.getShort(6));
    if (8 + length > box.limit() || length < 4) {
      return Picture.UNKNOWN;
    }
    Bits sps = new Bits(unescape(box, 9, 8 + length));
    int profileIdc = sps.read(8);
    int constraints = sps.read(8);
    sps.read(8);
    sps.ue();
    int chroma = 1;
    int depth = 8;
    boolean separatePlanes = false;
    if (java.util.Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135).contains(profileIdc)) {
      chroma = sps.ue();
      if (chroma == 3) {
        separatePlanes = sps.read(1) == 1;
      }
      depth = sps.ue() + 8;
      sps.ue();
      sps.read(1);
      if (sps.read(1) == 1) {
        for (int i = 0; i < (chroma != 3 ? 8 : 12); i++) {
          if (sps.read(1) == 1) {
            sps.skipScalingList(i < 6 ? 16 : 64);
          }
        }
      }
    }
    Sequence sequence = sequence(sps, separatePlanes ? 0 : chroma);
    boolean constrained = (constraints & 0x40) != 0;
    boolean intra = (constraints & 0x10) != 0;
    String profile = switch (profileIdc) {
      case 66 -> constrained ? "Constrained Baseline" : "Baseline";
      case 77 -> "Main";
      case 88 -> "Extended";
      case 100 -> "High";
      case 110 -> intra ? "High 10 Intra" : "High 10";
      case 122 -> intra ? "High 4:2:2 Intra" : "High 4:2:2";
      case 244 -> intra ? "High 4:4:4 Intra" : "High 4:4:4 Predictive";
      case 44 -> "CAVLC 4:4:4";
      default -> null;
    };
    String format = pixelFormat(chroma, depth);
    if ((fullRange || sequence != null && sequence.fullRange() == 1) && depth == 8 && chroma >= 1) {
      format = format.replace("yuv", "yuvj");
    }
    return new Picture(profile, format, sequence);
  }

  /** The rest of a sequence parameter set after its chroma and scaling fields; null if it runs out. */
  private static Sequence sequence(Bits sps, int chroma) {
    sps.ue();
    int pocType = sps.ue();
    if (pocType == 0) {
      sps.ue();
    } else if (pocType == 1) {
      sps.read(1);
      sps.se();
      sps.se();
      int cycle = sps.ue();
      if (cycle > 255) {
        return null;
      }
      for (int i = 0; i < cycle; i++) {
        sps.se();
      }
    }
    sps.ue();
    sps.read(1);
    long widthMbs = sps.ue() + 1L;
    long heightUnits = sps.ue() + 1L;
    boolean framesOnly = sps.read(1) == 1;
    if (!framesOnly) {
      sps.read(1);
    }
    sps.read(1);
    long cropX = 0;
    long cropY = 0;
    if (sps.read(1) == 1) {
      int unitX = chroma == 1 || chroma == 2 ? 2 : 1;
      int unitY = (chroma == 1 ? 2 : 1) * (framesOnly ? 1 : 2);
      cropX = (long) unitX * (sps.ue() + (long) sps.ue());
      cropY = (long) unitY * (sps.ue() + (long) sps.ue());
    }
    Rational sar = Rational.UNKNOWN;
    int full = -1;
    int primaries = -1;
    int transfer = -1;
    int matrix = -1;
    if (sps.read(1) == 1) {
      if (sps.read(1) == 1) {
        int idc = sps.read(8);
        if (idc == 255) {
          sar = Rational.of(sps.read(16), sps.read(16));
        } else if (idc >= 1 && idc <= SAR.length) {
          sar = Rational.of(SAR[idc - 1][0], SAR[idc - 1][1]);
        }
      }
      if (sps.read(1) == 1) {
        sps.read(1);
      }
      if (sps.read(1) == 1) {
        sps.read(3);
        full = sps.read(1);
        if (sps.read(1) == 1) {
          primaries = sps.read(8);
          transfer = sps.read(8);
          matrix = sps.read(8);
        }
      }
    }
    long width = widthMbs * 16 - cropX;
    long height = heightUnits * 16 * (framesOnly ? 1 : 2) - cropY;
    if (sps.overrun() || width <= 0 || height <= 0 || width > 65535 || height > 65535) {
      return null;
    }
    return new Sequence((int) width, (int) height, framesOnly, sar, full, primaries, transfer, matrix);
  }

  /** From a dac3 box's payload (ETSI TS 102 366 F.4): the channel mode and the LFE flag. */
  static int ac3Channels(ByteBuffer buf, int at, int end) {
    if (end - at < 3) {
      return 0;
    }
    int bits = ((buf.get(at + 1) & 0xFF) << 8) | (buf.get(at + 2) & 0xFF);
    int acmod = (bits >> 11) & 0x07;
    int lfe = (bits >> 10) & 0x01;
    return new int[] {2, 1, 2, 3, 3, 4, 4, 5}[acmod] + lfe;
  }

  /** From an hvcC box's payload. */
  static Picture hevc(ByteBuffer buf, int at, int end) {
    if (end - at < 19) {
      return Picture.UNKNOWN;
    }
    int profileIdc = buf.get(at + 1) & 0x1F;
    String profile = switch (profileIdc) {
      case 1 -> "Main";
      case 2 -> "Main 10";
      case 3 -> "Main Still Picture";
      case 4 -> "Rext";
      default -> null;
    };
    int chroma = buf.get(at + 16) & 0x03;
    // Some cameras write 0 (monochrome) here for colour video; ffprobe reads the SPS instead.
    return new Picture(profile, chroma == 0 ? null : pixelFormat(chroma, (buf.get(at + 17) & 0x07) + 8), null);
  }

  /** ffmpeg's planar pixel format name for a chroma format (0 = grey, 1 = 4:2:0 ...) and bit depth. */
  private static String pixelFormat(int chroma, int depth) {
    String base = switch (chroma) {
      case 0 -> "gray";
      case 1 -> "yuv420p";
      case 2 -> "yuv422p";
      default -> "yuv444p";
    };
    return depth == 8 ? base : base + depth + "le";
  }

  /** From an esds box's payload (ISO 14496-1 descriptors): object type, then the AAC config. */
  static Sound esds(ByteBuffer buf, int at, int end) {
    try {
      return esds(buf.slice(at, end - at));
    } catch (IndexOutOfBoundsException e) {
      return Sound.UNKNOWN;
    }
  }

  private static Sound esds(ByteBuffer buf) {
    int end = buf.limit();
    int p = 0;
    int objectType = -1;
    while (p + 2 <= end) {
      int tag = Byte.toUnsignedInt(buf.get(p++));
      int length = 0;
      for (int i = 0; i < 4 && p < end; i++) {
        int b = Byte.toUnsignedInt(buf.get(p++));
        length = (length << 7) | (b & 0x7F);
        if ((b & 0x80) == 0) {
          break;
        }
      }
      switch (tag) {
        case 0x03 -> {
          int flags = Byte.toUnsignedInt(buf.get(p + 2));
          p += 3 + ((flags & 0x80) != 0 ? 2 : 0);
          if ((flags & 0x40) != 0 && p < end) {
            p += 1 + Byte.toUnsignedInt(buf.get(p));
          }
          p += (flags & 0x20) != 0 ? 2 : 0;
        }
        case 0x04 -> {
          objectType = Byte.toUnsignedInt(buf.get(p));
          p += 13;
        }
        case 0x05 -> {
          return objectType == 0x40 && length >= 2 ? aac(buf, p, Math.min(end, p + length))
              : new Sound(objectType, null, 0);
        }
        default -> p += length;
      }
    }
    return new Sound(objectType, null, 0);
  }

  /** An AudioSpecificConfig (ISO 14496-3): the AAC object type and channel configuration. */
  private static Sound aac(ByteBuffer buf, int at, int end) {
    byte[] bytes = new byte[end - at];
    buf.get(at, bytes);
    Bits asc = new Bits(bytes);
    int type = asc.read(5);
    if (type == 31) {
      type = 32 + asc.read(6);
    }
    if (asc.read(4) == 0x0F) {
      asc.read(24);
    }
    int channels = asc.read(4);
    String profile = switch (type) {
      case 1 -> "Main";
      case 2 -> "LC";
      case 3 -> "SSR";
      case 4 -> "LTP";
      case 5 -> "HE-AAC";
      case 23 -> "LD";
      case 29 -> "HE-AACv2";
      case 39 -> "ELD";
      default -> null;
    };
    return new Sound(0x40, profile, channels);
  }

  /** A NAL unit's payload without its emulation-prevention bytes (00 00 03 becomes 00 00). */
  private static byte[] unescape(ByteBuffer buf, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    int zeros = 0;
    for (int i = from; i < to; i++) {
      int b = Byte.toUnsignedInt(buf.get(i));
      if (zeros >= 2 && b == 3) {
        zeros = 0;
        continue;
      }
      zeros = b == 0 ? zeros + 1 : 0;
      out.write(b);
    }
    return out.toByteArray();
  }

  /** Reads bits most significant first; reading past the end gives zeros. */
  private static final class Bits {
    private final byte[] data;
    private long pos;

    Bits(byte[] data) {
      this.data = data;
    }

    int read(int n) {
      int v = 0;
      for (int i = 0; i < n; i++, pos++) {
        int bit = pos / 8 < data.length ? (data[(int) (pos / 8)] >> (7 - pos % 8)) & 1 : 0;
        v = (v << 1) | bit;
      }
      return v;
    }

    /** An unsigned Exp-Golomb code. */
    int ue() {
      int zeros = 0;
      while (read(1) == 0 && zeros < 31) {
        zeros++;
      }
      return (1 << zeros) - 1 + read(zeros);
    }

    /** A signed Exp-Golomb code. */
    int se() {
      int k = ue();
      return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    /** Skips a scaling list of {@code size} entries (H.264 7.3.2.1.1.1). */
    void skipScalingList(int size) {
      int last = 8;
      int next = 8;
      for (int j = 0; j < size && next != 0; j++) {
        next = (last + se() + 256) % 256;
        last = next == 0 ? last : next;
      }
    }

    /** Whether more bits were read than there are. */
    boolean overrun() {
      return pos > 8L * data.length;
    }
  }
}
