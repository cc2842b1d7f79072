package io.spool.cli;

import io.spool.transcribe.SpeechEngine;
import io.spool.transcribe.TranscribeOptions;
import io.spool.transcribe.TranscriptFormat;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** How to transcribe, shared by {@code transcribe} and {@code batch transcribe}. */
public final class TranscribeFlags {
  static final String DEFAULT_FORMATS = "txt,srt";

  @Option(names = "--model", paramLabel = "PATH",
      description = "A whisper.cpp ggml model (default: SPOOL_WHISPER_MODEL, else the first *.bin in SPOOL_HOME/models).")
  Path model;

  @Option(names = "--engine", paramLabel = "E", converter = EngineConverter.class,
      description = "whisper or pocketsphinx (default: whisper, which fails naming the model to get where there is none).")
  SpeechEngine engine;

  @Option(names = "--language", defaultValue = "auto", paramLabel = "L",
      description = "auto (detect; English-only models and pocketsphinx speak English) or a code such as en (default: ${DEFAULT-VALUE}).")
  String language;

  @Option(names = "--format", paramLabel = "F,...",
      description = "Transcript files to write: txt, srt, vtt, json (default: " + DEFAULT_FORMATS + ").")
  String formats;

  /** Picocli's converter for --engine. */
  static final class EngineConverter implements picocli.CommandLine.ITypeConverter<SpeechEngine> {
    @Override
    public SpeechEngine convert(String value) {
      return SpeechEngine.parse(value);
    }
  }

  TranscribeOptions options() {
    return TranscribeOptions.newBuilder().engine(engine).model(model == null ? null : model.toAbsolutePath())
        .language(language).build();
  }

  /** The formats asked for; {@code none}: what to write when --format is not given. */
  List<TranscriptFormat> formats(boolean noneByDefault) {
    return formats != null ? TranscriptFormat.parseList(formats)
        : noneByDefault ? List.of() : TranscriptFormat.parseList(DEFAULT_FORMATS);
  }
}
