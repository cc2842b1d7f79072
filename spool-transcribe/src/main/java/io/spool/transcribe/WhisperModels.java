package io.spool.transcribe;

import io.spool.media.EnvironmentException;
import io.spool.transcribe.internal.GgmlModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where Whisper models are found on this host: a file named for the job ({@code --model}), else
 * {@code SPOOL_WHISPER_MODEL}, else the first {@code *.bin} (by name) in the models folder
 * ({@code $SPOOL_HOME/models}) that holds weights: whisper.cpp's weightless test model, which
 * recognises nothing, is used only when named. Spool never downloads a model: where there is
 * none, the failure says which file to get and where to put it.
 */
public final class WhisperModels {
  /** The environment variable naming a model file. */
  public static final String ENV = "SPOOL_WHISPER_MODEL";
  /** The model suggested to people who have none: English, small, accurate enough. */
  public static final String SUGGESTED = "ggml-base.en.bin";
  /** Where whisper.cpp's ggml models are published. */
  public static final String DOWNLOADS = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/";

  private final Path folder;
  private final String fromEnv;

  private WhisperModels(Path folder, String fromEnv) {
    this.folder = folder.toAbsolutePath().normalize();
    this.fromEnv = fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
  }

  /** Models in {@code folder} and the one {@code env} names in {@value #ENV}. */
  public static WhisperModels in(Path folder, Map<String, String> env) {
    return new WhisperModels(folder, env.get(ENV));
  }

  /** The models folder. */
  public Path folder() {
    return folder;
  }

  /** A model file that was found, and what it is. */
  public record Found(Path file, String source, long sizeBytes, String kind, boolean usable, String problem) {}

  /**
   * The model a job uses: {@code explicit} if given, else the one {@value #ENV} names, else the
   * first in the folder; checked whole ({@link GgmlModel}).
   *
   * @throws EnvironmentException naming the file to get and where, when there is none or it is damaged
   */
  public GgmlModel require(Path explicit) {
    Path file;
    String named;
    if (explicit != null) {
      file = explicit;
      named = "--model " + explicit;
    } else if (fromEnv != null) {
      file = Path.of(fromEnv);
      named = ENV + "=" + fromEnv;
    } else {
      file = firstChoosable().orElseThrow(() -> new EnvironmentException("no Whisper model on this host: "
          + getOne() + ", or name a model file with --model PATH or " + ENV + "; --engine pocketsphinx needs no model"
          + (inFolder().isEmpty() ? "" : " (a weightless test model is used only when named)")));
      named = file.toString();
    }
    if (!Files.isRegularFile(file)) {
      String what = !Files.exists(file) ? " does not exist" : Files.isDirectory(file) ? " is a folder, not a model file"
          : " is not a regular file";
      throw new EnvironmentException("the Whisper model " + named + what + ": " + getOne()
          + ", or point " + (explicit != null ? "--model" : ENV) + " at one");
    }
    try {
      return GgmlModel.read(file);
    } catch (GgmlModel.Damaged e) {
      throw new EnvironmentException("the Whisper model " + file + " is damaged or not a whisper.cpp ggml model: "
          + e.getMessage() + "; download it again, or " + getOne());
    } catch (IOException e) {
      throw new EnvironmentException("the Whisper model " + file + " cannot be read: " + e.getMessage());
    }
  }

  /** What to do about a missing model, in words. */
  private String getOne() {
    return "get a whisper.cpp ggml model such as " + SUGGESTED + " from " + DOWNLOADS + SUGGESTED + " and put it in " + folder;
  }

  /** Whether any model would be chosen (usable or not). */
  public boolean any() {
    return chosen().isPresent();
  }

  /** Every model this host offers, in the order they are chosen, each checked. */
  public List<Found> list() {
    List<Found> found = new ArrayList<>();
    if (fromEnv != null) {
      found.add(describe(Path.of(fromEnv), ENV));
    }
    for (Path p : inFolder()) {
      found.add(describe(p, "models folder"));
    }
    return found;
  }

  private static Found describe(Path file, String source) {
    long size = 0;
    try {
      size = Files.size(file);
      GgmlModel m = GgmlModel.read(file);
      String kind = m.size().orElse("unknown size") + (m.multilingual() ? ", multilingual" : ", English only")
          + (m.hasWeights() ? "" : ", no weights (a test model: recognises nothing; used only when named, never chosen"
              + " from the models folder)");
      return new Found(file, source, size, kind, true, null);
    } catch (GgmlModel.Damaged e) {
      return new Found(file, source, size, null, false, e.getMessage());
    } catch (IOException e) {
      return new Found(file, source, size, null, false, "cannot be read: " + e.getMessage());
    }
  }

  private List<Path> inFolder() {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".bin")).filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The model {@link #require} would choose when none is named for the job, if there is one. */
  public Optional<Path> chosen() {
    return fromEnv != null ? Optional.of(Path.of(fromEnv)) : firstChoosable();
  }

  /**
   * The first file in the folder that is not a weightless test model. A file that cannot be read
   * whole is still chosen, so that the job fails saying what is wrong with it rather than that
   * there is no model at all.
   */
  private Optional<Path> firstChoosable() {
    for (Path p : inFolder()) {
      try {
        if (GgmlModel.read(p).hasWeights()) {
          return Optional.of(p);
        }
      } catch (GgmlModel.Damaged | IOException e) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
