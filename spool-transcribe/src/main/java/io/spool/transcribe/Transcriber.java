package io.spool.transcribe;

import io.spool.media.AudioEncoding;
import io.spool.media.FFmpegCommand;
import io.spool.media.FFmpegRunner;
import io.spool.media.FFprobe;
import io.spool.media.Filter;
import io.spool.media.FilterChain;
import io.spool.media.Input;
import io.spool.media.InvalidInputException;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.Output;
import io.spool.media.Progress;
import io.spool.media.ProgressListener;
import io.spool.media.RunOptions;
import io.spool.media.Toolchain;
import io.spool.media.UsageMeter;
import io.spool.transcribe.internal.GgmlModel;
import io.spool.transcribe.internal.Pocketsphinx;
import io.spool.transcribe.internal.Whisper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Transcribes the speech in any file ffmpeg reads, video or audio. {@code Transcriber.using(tools,
 * models).transcribe(input, scratch, options, listener)} probes the input, then runs the engine:
 * Whisper on the audio extracted as 16 kHz mono PCM (the reference guide's settings) into
 * {@code scratch} and read from there window by window, or pocketsphinx in one ffmpeg pass.
 * Nothing of the media is held whole in memory.
 */
public final class Transcriber {
  /** The share of the progress bar that extracting the audio takes, before Whisper starts. */
  private static final double EXTRACT_SHARE = 0.05;
  /** The extracted audio's name in the scratch folder. */
  static final String PCM_NAME = "audio-16k-mono.s16le";

  private final Toolchain tools;
  private final WhisperModels models;
  private final Map<String, String> env;

  private Transcriber(Toolchain tools, WhisperModels models, Map<String, String> env) {
    this.tools = Objects.requireNonNull(tools, "tools");
    this.models = Objects.requireNonNull(models, "models");
    this.env = Map.copyOf(env);
  }

  /** A transcriber that finds Whisper models with {@code models} and pocketsphinx's in the process environment. */
  public static Transcriber using(Toolchain tools, WhisperModels models) {
    return new Transcriber(tools, models, System.getenv());
  }

  /** The same, with pocketsphinx's model found through {@code env} ({@code SPOOL_POCKETSPHINX_MODEL}). */
  public static Transcriber using(Toolchain tools, WhisperModels models, Map<String, String> env) {
    return new Transcriber(tools, models, env);
  }

  /**
   * The engine a job with {@code options} runs: the one asked for, else Whisper, which fails naming
   * the model to get where this host has none (pocketsphinx is never chosen for it: its far lower
   * accuracy would come as a surprise).
   */
  public SpeechEngine engineFor(TranscribeOptions options) {
    return options.engine() != null ? options.engine() : SpeechEngine.WHISPER;
  }

  /**
   * What keeps {@code engine} from running here, in one line, or empty when nothing does: the
   * Whisper model {@link WhisperModels} would choose is missing or damaged, pocketsphinx's English
   * model is not installed. (Whether this ffmpeg has the {@code asr} filter is the capability
   * probe's to say.)
   */
  public java.util.Optional<String> problem(SpeechEngine engine) {
    try {
      check(TranscribeOptions.newBuilder().engine(engine).build());
      return java.util.Optional.empty();
    } catch (io.spool.media.SpoolException e) {
      return java.util.Optional.of(e.getMessage());
    }
  }

  /**
   * Fails as a job with {@code options} would fail on this host before it reads any media: where
   * the Whisper model it would use is missing or damaged, or pocketsphinx's English model is not
   * installed. A batch checks this once rather than fail every item alike.
   *
   * @throws io.spool.media.EnvironmentException naming what to get and where
   */
  public void check(TranscribeOptions options) {
    if (engineFor(options) == SpeechEngine.POCKETSPHINX) {
      Pocketsphinx.model(env);
    } else {
      models.require(options.model());
    }
  }

  /**
   * Transcribes the main audio track of {@code input}.
   *
   * @param scratch a private folder for the extracted audio, which the caller removes
   * @throws io.spool.media.SpoolException classified: an input without audio is INVALID_INPUT, a
   *     missing or damaged model or recogniser is ENVIRONMENT, an interrupt is CANCELLED
   */
  public TranscribeResult transcribe(Path input, Path scratch, TranscribeOptions options, ProgressListener listener) {
    long t0 = System.nanoTime();
    Instant deadline = options.timeout() == null ? null : Instant.now().plus(options.timeout());
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    MediaInfo in = FFprobe.using(metered).probe(input);
    MediaStream audio = in.primaryAudio().orElseThrow(() -> new InvalidInputException(
        input.getFileName() + " has no audio stream: there is no speech to transcribe"));
    ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
    SpeechEngine engine = engineFor(options);
    Input source = Input.of(in.path());
    double seconds = in.durationSeconds();
    List<Filter> clock = onTheMediasClock(options.piece());
    if (options.piece() != null) {
      TranscribeOptions.Piece piece = options.piece();
      seconds = Math.max(0, Math.min(piece.endSeconds(), in.durationSeconds()) - piece.startSeconds());
    }
    Transcript transcript;
    String modelName = null;
    String note = null;
    double recognition;
    if (engine == SpeechEngine.POCKETSPHINX) {
      Pocketsphinx.checkLanguage(options.language());
      Pocketsphinx.Model model = Pocketsphinx.model(env);
      long r0 = System.nanoTime();
      transcript = Pocketsphinx.recognize(metered, source, clock, seconds, audio, model, scratch, options, progress);
      recognition = (System.nanoTime() - r0) / 1e9;
    } else {
      GgmlModel model = models.require(options.model());
      Whisper.language(model, options.language()); // a language the model lacks fails before any work
      modelName = model.file().getFileName().toString();
      if (!model.hasWeights()) {
        note = "the model " + modelName + " holds no weights (a whisper.cpp test model): it recognises nothing";
      }
      Path pcm = extractAudio(metered, source, clock, seconds, audio, scratch, options, progress);
      double[] took = new double[1];
      transcript = Whisper.recognize(seconds, pcm, model, options, deadline, EXTRACT_SHARE, progress, u -> {
        meter.add(u.metrics());
        took[0] = u.seconds();
      });
      recognition = took[0];
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    progress.onProgress(new Progress(1, seconds, 0, 0, wall > 0 ? seconds / wall : 0, null, true));
    return new TranscribeResult(transcript, engine, modelName, meter.total(wall), recognition, note);
  }

  /**
   * The filters that put the audio on the media's clock, and cut out the piece (null: none): where
   * the audio track starts later than the media (or has gaps), silence fills in, so that times
   * counted in samples from the first are the media's. A piece is cut from the decoded audio, not
   * by seeking the input, which is inexact in files without an index (VBR MP3): its start is
   * then exactly the time the pauses were found at, which were found decoding the same way.
   */
  static List<Filter> onTheMediasClock(TranscribeOptions.Piece piece) {
    Filter align = Filter.of("aresample").with("async", 1).with("first_pts", 0);
    if (piece == null) {
      return List.of(align);
    }
    return List.of(align, Filter.of("atrim").with("start", piece.startSeconds()).with("end", piece.endSeconds()),
        Filter.of("asetpts").with("expr", "PTS-STARTPTS"));
  }

  /** The audio as 16 kHz mono 16-bit PCM, raw, in {@code scratch}, through {@code clock}. */
  private static Path extractAudio(Toolchain tools, Input source, List<Filter> clock, double seconds, MediaStream audio,
      Path scratch, TranscribeOptions options, ProgressListener progress) {
    Path pcm = scratch.resolve(PCM_NAME);
    FFmpegCommand command = FFmpegCommand.newBuilder().input(source)
        .output(Output.newBuilder(pcm).format("s16le").stream(audio.index())
            .audio(new AudioEncoding("pcm_s16le", null, 1, 16_000)).audioFilters(new FilterChain(clock))
            .threads(options.threads()).build())
        .build();
    FFmpegRunner.using(tools).run(command, new RunOptions(options.timeout(), seconds,
        options.memoryLimitBytes(), p -> progress.onProgress(new Progress(EXTRACT_SHARE * Math.max(0, p.fraction()),
            p.outTimeSeconds(), p.frame(), p.fps(), p.speed(), null, false))));
    return pcm;
  }
}
