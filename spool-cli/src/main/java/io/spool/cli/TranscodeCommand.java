package io.spool.cli;

import io.spool.media.Preset;
import io.spool.media.TranscodeOptions;
import io.spool.media.TranscodeResult;
import io.spool.media.Transcoder;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool transcode IN [OUT]}. */
@Command(name = "transcode", description = "Transcode one file with a preset; the output appears only when it is complete and valid.")
final class TranscodeCommand extends SpoolSubcommand {
  @Parameters(index = "0", paramLabel = "IN", description = "Input media file.")
  Path input;

  @Parameters(index = "1", arity = "0..1", paramLabel = "OUT",
      description = "Output file (default: IN's name with .PRESET.EXT, beside it).")
  Path output;

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

  @Option(names = "--threads", paramLabel = "N", description = "CPU threads for ffmpeg (the job's CPU allowance).")
  Integer threads;

  @Option(names = "--timeout", paramLabel = "D", converter = Units.DurationConverter.class,
      description = "End the job after this long, e.g. 90s, 10m.")
  Duration timeout;

  @Override
  public Integer call() {
    Preset p = Preset.parse(preset);
    TranscodeOptions options = TranscodeOptions.newBuilder()
        .preset(p).height(height).allowUpscale(upscale).crf(crf).videoCodec(videoCodec)
        .audioBitrateKbps(audioBitrate == null ? null : kbps(audioBitrate))
        .threads(threads).timeout(timeout).build();
    Path out = output != null ? output : defaultOutput(input, p);
    ProgressBar bar = ProgressBar.forCommand(err(), String.valueOf(input.getFileName()), common);
    TranscodeResult result;
    try {
      result = Transcoder.using(tools()).transcode(input, out, options, bar);
    } finally {
      bar.finish();
    }
    TranscodeSummary summary = TranscodeSummary.of(result);
    print(summary, summary.human());
    return ExitCodes.OK;
  }

  static Path defaultOutput(Path in, Preset p) {
    String name = in.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return in.toAbsolutePath().resolveSibling(stem + "." + p.id() + "." + p.extension());
  }

  private static int kbps(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("k")) {
        return Integer.parseInt(t.substring(0, t.length() - 1));
      }
      int v = Integer.parseInt(t);
      return v >= 6000 ? v / 1000 : v;
    } catch (NumberFormatException e) {
      throw new io.spool.media.BadArgumentException("--audio-bitrate must look like 128k, got '" + text + "'");
    }
  }
}
