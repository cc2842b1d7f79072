package io.spool.cli;

import io.spool.engine.AudioExtractJob;
import io.spool.engine.AudioNormalizeJob;
import io.spool.engine.JobCost;
import io.spool.engine.JobOutcome;
import io.spool.engine.SpoolEngine;
import io.spool.media.Metrics;
import io.spool.media.audio.AudioFormat;
import io.spool.media.audio.LoudnessTarget;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool audio extract|normalize}: audio of a file as a job. */
@Command(name = "audio", description = "Extract or loudness-normalize the audio of a file, as a job.",
    subcommands = {AudioCommand.Extract.class, AudioCommand.Normalize.class})
final class AudioCommand {
  /** The output's codec and shape, shared by both results. */
  record Written(String codec, int sampleRate, int channels, long inputBytes, long outputBytes) {
    static Written of(Map<String, String> d) {
      return new Written(d.get("codec"), Integer.parseInt(d.get("sampleRate")), Integer.parseInt(d.get("channels")),
          Long.parseLong(d.get("inputBytes")), Long.parseLong(d.get("outputBytes")));
    }
  }

  @Command(name = "extract", description = {"Extract the main audio track of IN into OUT as a job:",
      "wav16k (16 kHz mono WAV, for speech recognition), mp3, aac (.m4a) or opus."})
  static final class Extract extends SpoolSubcommand {
    @Parameters(index = "0", paramLabel = "IN", description = "Input media file or VOLUME:path.")
    String input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output file or VOLUME:path.")
    String output;

    @Option(names = "--format", paramLabel = "F", description = "wav16k, mp3, aac or opus (default: from OUT's extension).")
    String format;

    @Mixin JobFlags job;

    @Mixin ServiceOptions service;

    record Result(String input, String output, String format, Written audio, double durationSeconds, int attempts,
        Metrics metrics) {}

    record Summary(String job, Result result, JobCost cost) {}

    @Override
    public Integer call() {
      AudioFormat f = format == null ? null : AudioFormat.parse(format);
      try (SpoolEngine engine = startEngine(service.settings())) {
        String in = JobWait.ref(engine, input);
        String out = JobWait.ref(engine, output);
        JobOutcome o = JobWait.run(engine, AudioExtractJob.spec(in, out, f,
            job.resources(1, Duration.ofHours(24)), job.overwrite), JobWait.fileName(in), common, err());
        Summary s = new Summary(o.jobId(), new Result(in, out, o.details().get("format"), Written.of(o.details()),
            o.mediaSeconds(), o.attempts(), o.metrics()), o.cost());
        Result r = s.result();
        print(s, String.format(Locale.ROOT, "extracted %s → %s%n  audio     %s, %s, %d Hz, %d channel%s, %s%n%s",
            r.input(), r.output(), r.format(), r.audio().codec(), r.audio().sampleRate(), r.audio().channels(),
            r.audio().channels() == 1 ? "" : "s", Units.bytes(r.audio().outputBytes()), footer(s.job(), r.metrics(), s.cost())));
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "normalize", description = {"Normalize the loudness of IN's audio into OUT (EBU R128, two passes:",
      "measure, then one gain throughout), as a job; reports the loudness of IN and of OUT as written.",
      "OUT's extension picks the container: .wav .flac .mp3 .m4a .aac .opus .ogg .mka, or .mp4 .mov .mkv .webm",
      "keeping IN's video as it is."})
  static final class Normalize extends SpoolSubcommand {
    @Parameters(index = "0", paramLabel = "IN", description = "Input media file or VOLUME:path.")
    String input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output file or VOLUME:path.")
    String output;

    @Mixin LoudnessFlags loudness;

    @Mixin JobFlags job;

    @Mixin ServiceOptions service;

    /** Loudness in LUFS (integrated, threshold), dBTP (true peak) and LU (range). */
    record Level(double integrated, double truePeak, double range, Double threshold) {
      static Level of(Map<String, String> d, String prefix) {
        String t = d.get(prefix + "threshold");
        return new Level(Double.parseDouble(d.get(prefix + "integrated")), Double.parseDouble(d.get(prefix + "truePeak")),
            Double.parseDouble(d.get(prefix + "range")), t == null ? null : Double.parseDouble(t));
      }
    }

    /**
     * What was made.
     *
     * @param linear one gain throughout; false where loudnorm had to compress (the input's range or
     *     peaks did not fit the target)
     * @param videoKept the input's video was copied alongside
     */
    record Result(String input, String output, Level target, Level before, Level after, boolean linear, boolean videoKept,
        Written audio, double durationSeconds, int attempts, Metrics metrics) {}

    record Summary(String job, Result result, JobCost cost) {}

    @Override
    public Integer call() {
      LoudnessTarget target = loudness.target();
      try (SpoolEngine engine = startEngine(service.settings())) {
        String in = JobWait.ref(engine, input);
        String out = JobWait.ref(engine, output);
        JobOutcome o = JobWait.run(engine, AudioNormalizeJob.spec(in, out, target,
            job.resources(1, Duration.ofHours(24)), job.overwrite), JobWait.fileName(in), common, err());
        Map<String, String> d = o.details();
        Summary s = new Summary(o.jobId(), new Result(in, out, Level.of(d, "target."), Level.of(d, "before."),
            Level.of(d, "after."), Boolean.parseBoolean(d.get("linear")), Boolean.parseBoolean(d.get("videoKept")),
            Written.of(d), o.mediaSeconds(), o.attempts(), o.metrics()), o.cost());
        print(s, human(s));
        return ExitCodes.OK;
      }
    }

    private static String human(Summary s) {
      Result r = s.result();
      return String.format(Locale.ROOT, "normalized %s → %s%n"
          + "  loudness  %.1f → %.1f LUFS (target %.1f)%n"
          + "  peak      %.1f → %.1f dBTP (at most %.1f)%n"
          + "  range     %.1f → %.1f LU (target %.1f)%n"
          + "  gain      %s%n  audio     %s, %d Hz, %d channel%s%s, %s%n%s",
          r.input(), r.output(), r.before().integrated(), r.after().integrated(), r.target().integrated(),
          r.before().truePeak(), r.after().truePeak(), r.target().truePeak(),
          r.before().range(), r.after().range(), r.target().range(),
          r.linear() ? "linear (one gain throughout)" : "dynamic (the input's range or peaks did not allow one gain)",
          r.audio().codec(), r.audio().sampleRate(), r.audio().channels(), r.audio().channels() == 1 ? "" : "s",
          r.videoKept() ? ", video copied" : "", Units.bytes(r.audio().outputBytes()), footer(s.job(), r.metrics(), s.cost()));
    }
  }

  static String footer(String job, Metrics m, JobCost cost) {
    return String.format(Locale.ROOT, "  usage     %.2f CPU-seconds, peak memory %s, %s wall%n  cost      %s%n  job       %s (spool jobs show %s)",
        m.cpuSeconds(), Units.bytes(m.peakRssBytes()), Units.seconds(m.wallSeconds()), Units.usd(cost.totalUsd()), job, job);
  }
}
