package io.spool.cli;

import io.spool.engine.JobHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobState;
import io.spool.engine.SpoolEngine;
import io.spool.transcribe.TranscribeJob;
import io.spool.transcribe.TranscribeOptions;
import io.spool.transcribe.TranscriptFormat;
import io.spool.volumes.VolumePath;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      description = {"Also write a copy of IN with the subtitles as a soft track: .mp4/.m4v/.m4a/.mov (MP4 timed text) or",
          ".mkv (SubRip); with --embed alone, no transcript files unless --format asks for them."})
  String embed;

  @Mixin JobFlags job;

  @Mixin ServiceOptions service;

  @Override
  public Integer call() {
    List<TranscriptFormat> wanted = flags.formats(embed != null);
    TranscribeOptions options = flags.options();
    try (SpoolEngine engine = startEngine(service.settings())) {
      String in = ref(engine, input);
      String folder = out != null ? ref(engine, out) : folderOf(engine, in);
      Map<TranscriptFormat, String> outputs = new LinkedHashMap<>();
      for (TranscriptFormat f : wanted) {
        outputs.put(f, join(folder, stem(fileName(in)) + "." + f.extension()));
      }
      String embedRef = embed == null ? null : ref(engine, embed);
      JobHandle handle = engine.spawn(TranscribeJob.spec(in, outputs, embedRef, options,
          job.resources(engine.config().cpuCores(), TranscodeCommand.FILE_TIMEOUT), job.overwrite));
      JobOutcome outcome = JobWait.withProgress(handle, fileName(in), common, err());
      if (outcome.state() != JobState.SUCCEEDED) {
        throw JobFailure.of(outcome);
      }
      TranscribeSummary summary = TranscribeSummary.of(outcome);
      print(summary, summary.human());
      return ExitCodes.OK;
    }
  }

  static String ref(SpoolEngine engine, String given) {
    return engine.isVolumeRef(given) ? given : Path.of(given).toAbsolutePath().normalize().toString();
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

  /** The file name of a local path or a {@code VOLUME:path}. */
  static String fileName(String ref) {
    int volume = ref.startsWith("/") ? -1 : ref.indexOf(':');
    return ref.substring(Math.max(ref.lastIndexOf('/'), volume) + 1);
  }

  /** A file name without its last extension. */
  static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
