package io.spool.transcribe.internal;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;
import io.spool.media.BadArgumentException;
import io.spool.media.CancelledException;
import io.spool.media.EnvironmentException;
import io.spool.media.ErrorCode;
import io.spool.media.Metrics;
import io.spool.media.Progress;
import io.spool.media.ProgressListener;
import io.spool.media.SpoolException;
import io.spool.media.TimeoutExceededException;
import io.spool.transcribe.Segment;
import io.spool.transcribe.Transcript;
import io.spool.transcribe.TranscribeOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Speech recognition with whisper.cpp in this process. The audio (16 kHz mono, extracted by
 * ffmpeg into the scratch folder) is read in windows of at most 30 s, Whisper's own window, cut
 * at a quiet point; each window goes through whisper.cpp in turn with the end of the text before
 * it as its prompt. Memory holds one window, whatever the length of the media, and a cancel or a
 * timeout (an interrupt of the calling thread, which native code does not see) stops the work
 * at the end of the window under way.
 */
public final class Whisper {
  static final double MAX_WINDOW_SECONDS = 30;
  static final double MIN_WINDOW_SECONDS = 20;
  /** How much of the text so far goes with the next window as its prompt. */
  private static final int PROMPT_CHARS = 200;
  private static final Pattern DETECTED = Pattern.compile("auto-detected language: ([a-z]{2,3})");
  /** What whisper.cpp writes for a window without speech. */
  private static final Pattern NO_SPEECH = Pattern.compile("\\[BLANK_AUDIO\\]|\\[ *[Ss]ilence *\\]");

  private Whisper() {}

  /** What the recognition used in this process. */
  public record Usage(Metrics metrics, double seconds) {}

  /** The language Whisper is told: English-only models speak only English. */
  public static String language(GgmlModel model, String asked) {
    if (model.multilingual()) {
      return asked;
    }
    if (!asked.equals(TranscribeOptions.AUTO) && !asked.equals("en")) {
      throw new BadArgumentException("the Whisper model " + model.file().getFileName() + " is English-only; it cannot"
          + " transcribe '" + asked + "' (use a multilingual model, e.g. ggml-base.bin)");
    }
    return "en";
  }

  /**
   * Recognises the speech in {@code pcm} (16 kHz mono s16le, {@code seconds} of audio) with {@code model}.
   *
   * @param deadline when the attempt's time is up (null: none)
   * @param progress receives the fraction of the audio done, scaled into [{@code from}, 1]
   * @param usage receives what the recognition used
   */
  public static Transcript recognize(double seconds, Path pcm, GgmlModel model, TranscribeOptions options,
      java.time.Instant deadline, double from, ProgressListener progress, java.util.function.Consumer<Usage> usage) {
    WhisperNative.load();
    String language = language(model, options.language());
    double total = Math.max(seconds, sizeSeconds(pcm));
    long t0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    long rss0 = rssBytes();
    long peak = 0;
    WhisperJNI whisper = new WhisperJNI();
    AtomicReference<String> detected = new AtomicReference<>();
    List<Segment> segments = new ArrayList<>();
    try (WhisperContext ctx = init(whisper, model); PcmWindows windows = new PcmWindows(pcm, MIN_WINDOW_SECONDS,
        MAX_WINDOW_SECONDS)) {
      StringBuilder text = new StringBuilder();
      while (true) {
        PcmWindows.Window w = windows.next();
        if (w == null) {
          break;
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new CancelledException(String.format(java.util.Locale.ROOT,
              "cancelled; whisper.cpp stopped after %.1f s of %.1f s of audio", w.startSeconds(), total));
        }
        if (deadline != null && java.time.Instant.now().isAfter(deadline)) {
          throw new TimeoutExceededException(String.format(java.util.Locale.ROOT,
              "timed out after %.1f s of %.1f s of audio", w.startSeconds(), total));
        }
        WhisperFullParams params = params(options.threads(), language, tail(text));
        int[] status = new int[1];
        WhisperNative.listening(line -> {
          Matcher m = DETECTED.matcher(line);
          if (m.find()) {
            detected.compareAndSet(null, m.group(1));
          }
        }, () -> status[0] = whisper.full(ctx, params, w.samples(), w.samples().length));
        if (status[0] != 0) {
          throw new SpoolException(ErrorCode.JOB_FAILED, String.format(java.util.Locale.ROOT,
              "whisper.cpp failed (status %d) on the audio at %.1f s", status[0], w.startSeconds()));
        }
        double end = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).endSeconds();
        for (int i = 0, n = whisper.fullNSegments(ctx); i < n; i++) {
          String said = NO_SPEECH.matcher(whisper.fullGetSegmentText(ctx, i)).replaceAll("").strip();
          if (said.isEmpty()) {
            continue;
          }
          // Timestamps come in hundredths of a second from the window's start.
          double s = Math.max(end, Math.min(w.endSeconds(), w.startSeconds() + whisper.fullGetSegmentTimestamp0(ctx, i) / 100.0));
          double e = Math.max(s, Math.min(w.endSeconds(), w.startSeconds() + whisper.fullGetSegmentTimestamp1(ctx, i) / 100.0));
          segments.add(new Segment(s, e, said));
          text.append(' ').append(said);
          end = e;
        }
        peak = Math.max(peak, rssBytes() - rss0);
        double done = Math.min(1, w.endSeconds() / Math.max(total, 1e-9));
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double speed = elapsed > 0 ? w.endSeconds() / elapsed : 0;
        progress.onProgress(new Progress(from + (1 - from) * done, w.endSeconds(), 0, 0, speed,
            speed > 0 ? Duration.ofMillis((long) ((total - w.endSeconds()) / speed * 1000)) : null, false));
      }
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot read the extracted audio " + pcm + ": " + e.getMessage(),
          List.of(), e);
    } finally {
      double wall = (System.nanoTime() - t0) / 1e9;
      // whisper.cpp's threads are native and short-lived, so their CPU time is known only as part
      // of the process's; other work in this process meanwhile counts too, hence the bound by the
      // threads the recognition was given.
      double cpu = Math.min((processCpuNanos() - cpu0) / 1e9, options.threads() * wall);
      usage.accept(new Usage(new Metrics(wall, Math.max(0, cpu), 0, Math.max(0, peak)), wall));
    }
    String lang = language.equals(TranscribeOptions.AUTO) ? detected.get() : language;
    return new Transcript(lang, seconds, segments);
  }

  private static WhisperContext init(WhisperJNI whisper, GgmlModel model) {
    try {
      WhisperContext ctx = whisper.init(model.file());
      if (ctx == null) {
        throw new EnvironmentException("whisper.cpp could not load the model " + model.file());
      }
      return ctx;
    } catch (IOException | RuntimeException e) {
      if (e instanceof SpoolException s) {
        throw s;
      }
      throw new EnvironmentException("whisper.cpp could not load the model " + model.file() + ": " + e.getMessage());
    }
  }

  private static WhisperFullParams params(int threads, String language, String prompt) {
    WhisperFullParams p = new WhisperFullParams(WhisperSamplingStrategy.GREEDY);
    p.nThreads = threads;
    p.language = language;
    p.translate = false;
    p.printProgress = false;
    p.printRealtime = false;
    p.printTimestamps = false;
    p.printSpecial = false;
    p.noContext = true; // each window is a call of its own; the prompt carries the context
    p.initialPrompt = prompt.isEmpty() ? null : prompt;
    return p;
  }

  private static String tail(StringBuilder text) {
    String s = text.toString().strip();
    if (s.length() <= PROMPT_CHARS) {
      return s;
    }
    String t = s.substring(s.length() - PROMPT_CHARS);
    int space = t.indexOf(' ');
    return space < 0 ? t : t.substring(space + 1);
  }

  private static double sizeSeconds(Path pcm) {
    try {
      return Files.size(pcm) / 2.0 / PcmWindows.RATE;
    } catch (IOException e) {
      return 0;
    }
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime()) : 0;
  }

  /** This process's resident memory now, from /proc; 0 where there is none. */
  private static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return 0;
  }
}
