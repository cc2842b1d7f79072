package io.spool.transcribe.internal;

import io.spool.media.AudioEncoding;
import io.spool.media.BadArgumentException;
import io.spool.media.EnvironmentException;
import io.spool.media.FFmpegCommand;
import io.spool.media.FFmpegRunner;
import io.spool.media.Filter;
import io.spool.media.FilterChain;
import io.spool.media.Input;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import io.spool.media.MediaStream;
import io.spool.media.Output;
import io.spool.media.ProgressListener;
import io.spool.media.RunOptions;
import io.spool.media.Toolchain;
import io.spool.transcribe.Segment;
import io.spool.transcribe.Transcript;
import io.spool.transcribe.TranscribeOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Speech recognition with ffmpeg's {@code asr} filter (CMU pocketsphinx) in one ffmpeg pass: the
 * audio is resampled to 16 kHz mono, {@code silencedetect} marks the pauses, {@code asr} hands
 * each utterance's text on as frame metadata, and {@code ametadata} writes both to a file in the
 * scratch folder. The audio is padded with silence at the end, without which the filter drops the
 * last utterance.
 *
 * <p>The filter says only where an utterance ended (the frame that carries its text); a segment
 * starts at the end of the pause before it and ends where the pause after it starts, as far as
 * {@code silencedetect} heard one.
 */
public final class Pocketsphinx {
  /** The folder holding the English model, unless {@code SPOOL_POCKETSPHINX_MODEL} names another. */
  public static final Path DEBIAN_MODEL = Path.of("/usr/share/pocketsphinx/model/en-us");
  public static final String ENV = "SPOOL_POCKETSPHINX_MODEL";
  private static final double PAD_SECONDS = 2;
  private static final String TEXT = "lavfi.asr.text=";
  private static final String SILENCE_START = "lavfi.silence_start=";
  private static final String SILENCE_END = "lavfi.silence_end=";

  private Pocketsphinx() {}

  /** The English model's folder: acoustic model {@code en-us/}, dictionary and language model. */
  public record Model(Path acoustic, Path dictionary, Path languageModel) {}

  /**
   * The English model on this host.
   *
   * @throws EnvironmentException saying how to install it, when it is missing
   */
  public static Model model(Map<String, String> env) {
    String named = env.get(ENV);
    Path dir = named == null || named.isBlank() ? DEBIAN_MODEL : Path.of(named);
    Model m = new Model(dir.resolve("en-us"), dir.resolve("cmudict-en-us.dict"), dir.resolve("en-us.lm.bin"));
    if (!Files.isRegularFile(m.acoustic().resolve("mdef")) || !Files.isRegularFile(m.dictionary())
        || !Files.isRegularFile(m.languageModel())) {
      throw new EnvironmentException("pocketsphinx's English model is not in " + dir + ": install it (Debian/Ubuntu:"
          + " apt-get install -y pocketsphinx-en-us) or set " + ENV + " to a folder holding en-us/, cmudict-en-us.dict"
          + " and en-us.lm.bin");
    }
    return m;
  }

  /** Only English: the one model there is. */
  public static void checkLanguage(String language) {
    if (!language.equals(TranscribeOptions.AUTO) && !language.equals("en")) {
      throw new BadArgumentException("the pocketsphinx engine recognises English only (its one model), not '"
          + language + "'; use --language en or auto, or a multilingual Whisper model");
    }
  }

  /**
   * Recognises the speech of the {@code audio} stream of {@code source} ({@code seconds} long),
   * writing its working file into {@code scratch}.
   */
  public static Transcript recognize(Toolchain tools, Input source, double seconds, MediaStream audio, Model model,
      Path scratch, TranscribeOptions options, ProgressListener listener) {
    Path events = scratch.resolve("asr-events.txt");
    FilterChain filters = new FilterChain(List.of(
        Filter.of("aresample").with("out_sample_rate", 16000),
        Filter.of("silencedetect").with("noise", "-30dB").with("duration", 0.3),
        Filter.of("apad").with("pad_dur", PAD_SECONDS),
        Filter.of("asr").with("rate", 16000).with("hmm", model.acoustic()).with("dict", model.dictionary())
            .with("lm", model.languageModel()),
        Filter.of("ametadata").with("mode", "print").with("file", "file:" + events.toAbsolutePath())));
    FFmpegCommand command = FFmpegCommand.newBuilder().input(source)
        .output(Output.newBuilder(scratch.resolve("asr.null")).format("null").stream(audio.index())
            .audio(new AudioEncoding("pcm_s16le", null, 1, null)).audioFilters(filters).threads(1).build())
        .build();
    FFmpegRunner.using(tools).run(command, new RunOptions(options.timeout(), seconds + PAD_SECONDS,
        options.memoryLimitBytes(), listener));
    try {
      return new Transcript("en", seconds, segments(events, seconds));
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot read the recogniser's output " + events + ": " + e.getMessage(),
          List.of(), e);
    }
  }

  /** Reads the metadata {@code ametadata} printed and makes timed segments of it. */
  static List<Segment> segments(Path events, double duration) throws IOException {
    List<double[]> texts = new ArrayList<>(); // {frame time, index into words}
    List<String> words = new ArrayList<>();
    List<Double> silenceStarts = new ArrayList<>();
    List<Double> silenceEnds = new ArrayList<>();
    if (!Files.exists(events)) {
      return List.of(); // no frame carried metadata
    }
    try (BufferedReader r = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
      double frameTime = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("frame:")) {
          int at = line.indexOf("pts_time:");
          frameTime = at < 0 ? frameTime : number(line.substring(at + "pts_time:".length()).strip(), frameTime);
        } else if (line.startsWith(TEXT)) {
          String text = line.substring(TEXT.length()).strip();
          if (!text.isEmpty()) {
            texts.add(new double[] {frameTime, words.size()});
            words.add(text);
          }
        } else if (line.startsWith(SILENCE_START)) {
          silenceStarts.add(number(line.substring(SILENCE_START.length()), frameTime));
        } else if (line.startsWith(SILENCE_END)) {
          silenceEnds.add(number(line.substring(SILENCE_END.length()), frameTime));
        }
      }
    }
    List<Segment> segments = new ArrayList<>();
    double previousEnd = 0;
    for (double[] t : texts) {
      double heard = Math.min(t[0], duration);
      double start = previousEnd;
      for (double e : silenceEnds) {
        if (e > start && e <= heard) {
          start = e; // the last pause that ended before the utterance did
        }
      }
      double end = heard;
      for (double s : silenceStarts) {
        if (s > start && s < end) {
          end = s; // the first pause after it began
          break;
        }
      }
      start = Math.min(start, end);
      segments.add(new Segment(start, end, words.get((int) t[1])));
      previousEnd = end;
    }
    return segments;
  }

  private static double number(String s, double otherwise) {
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
