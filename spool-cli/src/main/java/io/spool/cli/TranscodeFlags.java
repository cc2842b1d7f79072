package io.spool.cli;

import io.spool.media.BadArgumentException;
import io.spool.media.Preset;
import io.spool.media.TranscodeOptions;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The encoding flags shared by {@code transcode} and {@code batch transcode}. */
public final class TranscodeFlags {
  @Option(names = {"-p", "--preset"}, defaultValue = "web",
      description = "web, archive, preview, hevc, vp9 or av1 (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--height", paramLabel = "N", description = "Target height in pixels; keeps the aspect ratio, never upscales.")
  Integer height;

  @Option(names = "--upscale", description = "Allow --height to enlarge the picture.")
  boolean upscale;

  @Option(names = "--crf", paramLabel = "N", description = "Quality on the codec's scale (lower is better).")
  Integer crf;

  @Option(names = "--video-codec", paramLabel = "C", description = "Encoder: libx264, libx265, libvpx-vp9, libsvtav1, h264_nvenc, ...")
  String videoCodec;

  @Option(names = "--audio-bitrate", paramLabel = "B", description = "Audio bit rate, e.g. 128k or 96.")
  String audioBitrate;

  TranscodeOptions.Builder options() {
    return TranscodeOptions.newBuilder()
        .preset(Preset.parse(preset)).height(height).allowUpscale(upscale).crf(crf).videoCodec(videoCodec)
        .audioBitrateKbps(audioBitrate == null ? null : kbps(audioBitrate));
  }

  static int kbps(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("k")) {
        return Integer.parseInt(t.substring(0, t.length() - 1));
      }
      int v = Integer.parseInt(t);
      return v >= 6000 ? v / 1000 : v;
    } catch (NumberFormatException e) {
      throw new BadArgumentException("--audio-bitrate must look like 128k, got '" + text + "'");
    }
  }
}
