package io.spool.cli;

import io.spool.engine.FramesExtractJob;
import io.spool.engine.FramesOverlayJob;
import io.spool.engine.JobCost;
import io.spool.engine.JobOutcome;
import io.spool.engine.SpoolEngine;
import io.spool.media.FilterChain;
import io.spool.media.Metrics;
import io.spool.media.Rational;
import io.spool.media.frames.Overlay;
import io.spool.volumes.VolumePath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool frames overlay|extract}: per-frame effects in one pass, and frames as images. */
@Command(name = "frames", description = "Change every frame of a video in one pass, or write frames as images; as a job.",
    subcommands = {FramesCommand.OverlayCommand.class, FramesCommand.Extract.class})
final class FramesCommand {

  @Command(name = "overlay", description = {
      "Draw on every frame of IN in one decoding pass, the audio kept: a filter chain of your own (--filter),",
      "an image (--image) and text (--text, where {frame} is the frame's number and {timecode} its time).",
      "OUT's extension picks the container: .mp4 .m4v .mov .mkv (H.264) or .webm (VP9)."})
  static final class OverlayCommand extends SpoolSubcommand {
    @Parameters(index = "0", paramLabel = "IN", description = "Input video file or VOLUME:path.")
    String input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output file or VOLUME:path.")
    String output;

    @Option(names = "--text", paramLabel = "TEXT",
        description = "Text to draw, e.g. 'frame {frame}' or '{timecode}'; drawn exactly as written otherwise.")
    String text;

    @Option(names = "--image", paramLabel = "FILE", description = "An image (a PNG with transparency, say) to put on every frame.")
    String image;

    @Option(names = "--filter", paramLabel = "CHAIN",
        description = "An ffmpeg filter chain applied first, e.g. 'hflip,eq=contrast=1.2': one chain of one-in, one-out video filters.")
    String filter;

    @Option(names = "--position", defaultValue = "bottom-left", paramLabel = "P",
        description = "Where the text goes: top-left, top-right, bottom-left, bottom-right or center (default: ${DEFAULT-VALUE}).")
    String position;

    @Option(names = "--image-position", defaultValue = "top-right", paramLabel = "P",
        description = "Where the image goes (default: ${DEFAULT-VALUE}).")
    String imagePosition;

    @Option(names = "--font-size", paramLabel = "PX", description = "Text height in pixels (default: a twentieth of the picture's).")
    Integer fontSize;

    @Option(names = "--crf", paramLabel = "N", description = "Video quality on the codec's scale (default: the web preset's 23, or VP9's 33).")
    Integer crf;

    @Mixin JobFlags job;

    @Mixin ServiceOptions service;

    record Result(String input, String output, long frames, String size, String videoCodec, String audio,
        long inputBytes, long outputBytes, double durationSeconds, double speed, int attempts, Metrics metrics) {}

    record Summary(String job, Result result, JobCost cost) {}

    @Override
    public Integer call() {
      Overlay overlay = new Overlay(filter == null ? null : FilterChain.parse(filter), image == null ? null : Path.of(image),
          Overlay.Position.parse(imagePosition), text, Overlay.Position.parse(position), fontSize);
      try (SpoolEngine engine = startEngine(service.settings())) {
        String in = JobWait.ref(engine, input);
        String out = JobWait.ref(engine, output);
        String img = image == null ? null : JobWait.ref(engine, image);
        JobOutcome o = JobWait.run(engine, FramesOverlayJob.spec(in, out, overlay, img, crf,
            job.resources(engine.config().cpuCores(), Duration.ofHours(24)), job.overwrite), JobWait.fileName(in), common,
            err());
        Summary s = new Summary(o.jobId(), result(o, in, out), o.cost());
        print(s, human("drew on", s.result(), s.job(), s.cost()));
        return ExitCodes.OK;
      }
    }

    static Result result(JobOutcome o, String in, String out) {
      Map<String, String> d = o.details();
      return new Result(in, out, Long.parseLong(d.get("frames")), d.get("size"), d.get("videoCodec"), d.get("audio"),
          Long.parseLong(d.get("inputBytes")), Long.parseLong(d.get("outputBytes")), o.mediaSeconds(), o.speed(), o.attempts(),
          o.metrics());
    }

    static String human(String verb, Result r, String job, JobCost cost) {
      return String.format(Locale.ROOT, "%s %s → %s%n  frames    %d at %s, %s, audio %s%n  size      %s → %s%n"
          + "  speed     %.2fx realtime (%s wall), one decoding pass%n%s",
          verb, r.input(), r.output(), r.frames(), r.size(), r.videoCodec(), r.audio() == null ? "none" : r.audio(),
          Units.bytes(r.inputBytes()), Units.bytes(r.outputBytes()), r.speed(), Units.seconds(r.metrics().wallSeconds()),
          AudioCommand.footer(job, r.metrics(), cost));
    }
  }

  @Command(name = "extract", description = "Write frames of IN as numbered images (frame-000001.png, ...) into a folder, as a job.")
  static final class Extract extends SpoolSubcommand {
    @Parameters(index = "0", paramLabel = "IN", description = "Input video file or VOLUME:path.")
    String input;

    @Option(names = "--fps", required = true, paramLabel = "N", description = "Frames a second to write, e.g. 1, 0.5 or 1/10.")
    String fps;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder or VOLUME:path (default: IN's name + '-frames', beside it).")
    String out;

    @Option(names = "--format", defaultValue = "png", paramLabel = "F", description = "png or jpg (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--width", paramLabel = "W", description = "Image width in pixels (default: the picture's own).")
    Integer width;

    @Mixin JobFlags job;

    @Mixin ServiceOptions service;

    record Result(String input, String folder, int count, String first, String last, String fps, double durationSeconds,
        int attempts, Metrics metrics) {}

    record Summary(String job, Result result, JobCost cost) {}

    @Override
    public Integer call() {
      Rational rate = Rational.parse(fps);
      try (SpoolEngine engine = startEngine(service.settings())) {
        String in = JobWait.ref(engine, input);
        String folder = out != null ? JobWait.ref(engine, out) : beside(engine, in, "-frames");
        JobOutcome o = JobWait.run(engine, FramesExtractJob.spec(in, folder, rate, format, width,
            job.resources(engine.config().cpuCores(), Duration.ofHours(24)), job.overwrite), JobWait.fileName(in), common,
            err());
        Map<String, String> d = o.details();
        Summary s = new Summary(o.jobId(), new Result(in, folder, Integer.parseInt(d.get("count")), d.get("first"),
            d.get("last"), d.get("fps"), o.mediaSeconds(), o.attempts(), o.metrics()), o.cost());
        Result r = s.result();
        print(s, String.format(Locale.ROOT, "%d frames of %s → %s (%s a second)%n  files     %s ... %s%n%s", r.count(),
            r.input(), r.folder(), r.fps(), JobWait.fileName(r.first()), JobWait.fileName(r.last()),
            AudioCommand.footer(s.job(), r.metrics(), s.cost())));
        return ExitCodes.OK;
      }
    }
  }

  /** A folder beside the input, named after it. */
  static String beside(SpoolEngine engine, String in, String suffix) {
    String name = engine.isVolumeRef(in) ? VolumePath.parse(in).fileName() : JobWait.fileName(in);
    int dot = name.lastIndexOf('.');
    return in.substring(0, in.length() - name.length()) + (dot > 0 ? name.substring(0, dot) : name) + suffix;
  }
}
