package io.spool.cli;

import io.spool.engine.JobHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobSpec;
import io.spool.engine.JobState;
import io.spool.engine.Resources;
import io.spool.engine.SpoolEngine;
import io.spool.transcribe.SpeechPieces;
import io.spool.transcribe.TranscribeJob;
import io.spool.transcribe.TranscribeOptions;
import io.spool.transcribe.TranscriptFormat;
import io.spool.volumes.VolumePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool transcribe IN}: the speech of one file as text and subtitles, as one job on the embedded engine. */
@Command(name = "transcribe", description = {
    "Transcribe the speech of a video or audio file as a job: text, SRT, WebVTT or JSON files, and with --embed a",
    "copy of the media with the subtitles as a soft track. Whisper (whisper.cpp) needs a ggml model file, which",
    "Spool never downloads; --engine pocketsphinx uses ffmpeg's asr filter and the system's English model."})
final class TranscribeCommand extends SpoolSubcommand {
  @Parameters(index = "0", paramLabel = "IN", description = "Input media file or VOLUME:path.")
  String input;

  @Mixin TranscribeFlags flags;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR|VOLUME:PATH",
      description = "Folder for the transcript files, each named after IN (default: IN's folder).")
  String out;

  @Option(names = "--embed", paramLabel = "OUT",
      description = "Also write a copy of IN with the subtitles as a soft track: .mp4/.m4v/.m4a/.mov (MP4 timed text) or"
          + " .mkv (SubRip); with --embed alone, no transcript files unless --format asks for them.")
  String embed;

  @Option(names = "--piece-length", defaultValue = "10m", paramLabel = "D", converter = Units.DurationOrZeroConverter.class,
      description = "Media longer than 1.5 times this is cut in pauses into pieces of about this length, which jobs"
          + " transcribe side by side; their transcripts are joined (default: ${DEFAULT-VALUE}; 0: never cut).")
  java.time.Duration pieceLength;

  @Mixin JobFlags job;

  @Mixin ServiceOptions service;

  @Override
  public Integer call() {
    List<TranscriptFormat> wanted = flags.formats(embed != null);
    TranscribeOptions options = flags.options();
    try (SpoolEngine engine = startEngine(service.settings())) {
      String in = JobWait.ref(engine, input);
      String folder = out != null ? JobWait.ref(engine, out) : folderOf(engine, in);
      Map<TranscriptFormat, String> outputs = new LinkedHashMap<>();
      for (TranscriptFormat f : wanted) {
        outputs.put(f, join(folder, stem(JobWait.fileName(in)) + "." + f.extension()));
      }
      String embedRef = embed == null ? null : JobWait.ref(engine, embed);
      Resources resources = job.resources(engine.config().cpuCores(), TranscodeCommand.FILE_TIMEOUT);
      SpeechPieces pieces = pieceLength.isZero() ? null : plan(engine, in);
      if (pieces != null && pieces.pieces().size() > 1) {
        return inPieces(engine, in, pieces, outputs, embedRef, options);
      }
      JobHandle handle = engine.spawn(TranscribeJob.spec(in, outputs, embedRef, options, resources, job.overwrite));
      JobOutcome outcome = JobWait.withProgress(handle, JobWait.fileName(in), common, err());
      if (outcome.state() != JobState.SUCCEEDED) {
        throw JobFailure.of(outcome);
      }
      TranscribeSummary summary = TranscribeSummary.of(outcome, List.of(), 0);
      print(summary, summary.human());
      return ExitCodes.OK;
    }
  }

  /**
   * Where the pauses allow, the pieces of a long input; planned here, by the submitter, which reads
   * the input once with ffmpeg (a volume's file where it lies, or downloaded into a temporary folder).
   */
  private SpeechPieces plan(SpoolEngine engine, String in) {
    Path scratch;
    try {
      scratch = Files.createTempDirectory("spool-pieces-");
    } catch (IOException e) {
      throw new io.spool.media.SpoolException(io.spool.media.ErrorCode.IO_ERROR, "no temporary folder: " + e.getMessage());
    }
    try {
      Path local = engine.isVolumeRef(in)
          ? engine.volumes().volumeOf(VolumePath.parse(in)).readable(VolumePath.parse(in).path(), scratch) : Path.of(in);
      return SpeechPieces.plan(engine.config().tools(), local, pieceLength.toMillis() / 1000.0, scratch, null);
    } finally {
      try (Stream<Path> files = Files.walk(scratch)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        warn("could not remove " + scratch + ": " + e.getMessage());
      }
    }
  }

  /**
   * Transcribes the pieces as one batch (the engine runs as many at once as the cores allow, or
   * the shared service's workers take them), then one job joins their transcripts and writes the
   * outputs.
   */
  private int inPieces(SpoolEngine engine, String in, SpeechPieces pieces, Map<TranscriptFormat, String> outputs,
      String embedRef, TranscribeOptions options) {
    long t0 = System.nanoTime();
    int cores = engine.config().cpuCores();
    int count = pieces.pieces().size();
    Resources each = job.resources(Math.max(1, cores / Math.min(count, cores)), TranscodeCommand.FILE_TIMEOUT);
    List<JobSpec> specs = pieces.pieces().stream()
        .map(p -> TranscribeJob.pieceSpec(in, options.toBuilder().piece(p).build(), each)).toList();
    List<JobOutcome> done = JobWait.batchWithProgress(engine.submit(TranscribeJob.NAME, specs, 0),
        JobWait.fileName(in) + " (" + count + " pieces)", common, err());
    for (JobOutcome o : done) {
      if (o.state() != JobState.SUCCEEDED) {
        throw JobFailure.of(o);
      }
    }
    JobHandle join = engine.spawn(TranscribeJob.joinedSpec(in, outputs, embedRef, pieces, done, options,
        job.resources(cores, TranscodeCommand.FILE_TIMEOUT), job.overwrite));
    JobOutcome outcome = JobWait.withProgress(join, JobWait.fileName(in), common, err());
    if (outcome.state() != JobState.SUCCEEDED) {
      throw JobFailure.of(outcome);
    }
    TranscribeSummary summary = TranscribeSummary.of(outcome, done, (System.nanoTime() - t0) / 1e9);
    print(summary, summary.human());
    return ExitCodes.OK;
  }

  private static String folderOf(SpoolEngine engine, String in) {
    if (engine.isVolumeRef(in)) {
      String name = VolumePath.parse(in).fileName();
      return in.substring(0, in.length() - name.length());
    }
    return Path.of(in).getParent().toString();
  }

  static String join(String folder, String name) {
    return folder.endsWith("/") || folder.endsWith(":") ? folder + name : folder + "/" + name;
  }

  /** A file name without its last extension. */
  static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
