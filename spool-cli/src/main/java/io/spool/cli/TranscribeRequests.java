package io.spool.cli;

import io.spool.engine.JobSpec;
import io.spool.engine.SpoolEngine;
import io.spool.http.JobRequestType;
import io.spool.http.internal.VolumeRefs;
import io.spool.transcribe.SpeechEngine;
import io.spool.transcribe.TranscribeJob;
import io.spool.transcribe.TranscribeOptions;
import io.spool.transcribe.TranscriptFormat;
import io.spool.volumes.VolumePath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code "type": "transcribe"} over HTTP, as {@code spool transcribe} does it in one job:
 * {@code options} {@code {"engine": "pocketsphinx", "language": "en", "formats": ["srt", "vtt"],
 * "embed": "media:subbed/a.mp4"}}; the transcript files go into the output folder (default: the
 * input's), named after the input. A request cannot name a model file: the server's own models
 * are used ({@code SPOOL_WHISPER_MODEL}, {@code $SPOOL_HOME/models}).
 */
final class TranscribeRequests implements JobRequestType {
  record Options(String engine, String language, List<String> formats, String embed) {}

  private final SpoolEngine engine;

  TranscribeRequests(SpoolEngine engine) {
    this.engine = engine;
  }

  @Override
  public String name() {
    return TranscribeJob.NAME;
  }

  @Override
  public boolean needsOutput() {
    return false;
  }

  @Override
  public JobSpec spec(Request r) {
    Options o = r.options(Options.class);
    String folder = r.output() != null ? r.output() : r.input().substring(0, r.input().length() - r.inputName().length());
    String embed = null;
    if (o.embed() != null) {
      VolumePath e = VolumeRefs.parse(r.where() + "options.embed", o.embed());
      if (!engine.volumes().exists(e.volume())) {
        engine.volumes().create(e.volume());
      }
      embed = e.toString();
    }
    List<TranscriptFormat> formats = o.formats() != null ? o.formats().stream().map(TranscriptFormat::parse).toList()
        : embed != null ? List.of() : TranscriptFormat.parseList(TranscribeFlags.DEFAULT_FORMATS);
    Map<TranscriptFormat, String> outputs = new LinkedHashMap<>();
    for (TranscriptFormat f : formats) {
      outputs.put(f, TranscribeCommand.join(folder, TranscribeCommand.stem(r.inputName()) + "." + f.extension()));
    }
    TranscribeOptions options = TranscribeOptions.newBuilder()
        .engine(o.engine() == null ? null : SpeechEngine.parse(o.engine()))
        .language(o.language() == null ? "auto" : o.language()).build();
    return TranscribeJob.spec(r.input(), outputs, embed, options, r.resources(), r.overwrite());
  }
}
