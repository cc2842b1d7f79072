package io.spool.transcribe;

import io.spool.media.AudioEncoding;
import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
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
import io.spool.media.RunOptions;
import io.spool.media.SpoolException;
import io.spool.media.Toolchain;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts long speech into pieces that workers transcribe side by side: about {@code pieceSeconds}
 * each, every cut in the middle of a pause (ffmpeg's {@code silencedetect} over the whole audio,
 * one decoding pass), so that no word is cut in two. {@link Transcript#join} puts the pieces'
 * transcripts back together.
 */
public final class SpeechPieces {
  /** Pauses at least this long, this quiet, are where pieces may be cut. */
  static final double MIN_PAUSE_SECONDS = 0.3;
  static final String PAUSE_NOISE = "-30dB";
  /** Shorter pieces than this are not worth a job of their own. */
  public static final double MIN_PIECE_SECONDS = 5;

  private final double duration;
  private final List<TranscribeOptions.Piece> pieces;

  private SpeechPieces(double duration, List<TranscribeOptions.Piece> pieces) {
    this.duration = duration;
    this.pieces = List.copyOf(pieces);
  }

  /** The media's duration. */
  public double durationSeconds() {
    return duration;
  }

  /** The pieces in order, end to end from 0 to the media's end. */
  public List<TranscribeOptions.Piece> pieces() {
    return pieces;
  }

  /**
   * Plans the pieces of {@code input}. Media no longer than 1.5 pieces stays whole (one piece),
   * and the pauses are then not looked for.
   *
   * @param scratch a folder for the pause list ffmpeg writes, which the caller removes
   */
  public static SpeechPieces plan(Toolchain tools, Path input, double pieceSeconds, Path scratch, Duration timeout) {
    if (!(pieceSeconds >= MIN_PIECE_SECONDS)) {
      throw new BadArgumentException("pieces must be at least " + MIN_PIECE_SECONDS + " s long, got " + pieceSeconds);
    }
    MediaInfo in = FFprobe.using(tools).probe(input);
    MediaStream audio = in.primaryAudio().orElseThrow(() -> new InvalidInputException(
        input.getFileName() + " has no audio stream: there is no speech to transcribe"));
    double duration = in.durationSeconds();
    if (duration <= 1.5 * pieceSeconds) {
      return new SpeechPieces(duration, List.of(new TranscribeOptions.Piece(0, Math.max(duration, MIN_PIECE_SECONDS))));
    }
    return new SpeechPieces(duration, cut(pauses(tools, in, audio, scratch, timeout), duration, pieceSeconds));
  }

  /** The middle of each pause, in order. */
  private static List<Double> pauses(Toolchain tools, MediaInfo in, MediaStream audio, Path scratch, Duration timeout) {
    Path events = scratch.resolve("pauses.txt");
    FilterChain filters = new FilterChain(List.of(
        Filter.of("silencedetect").with("noise", PAUSE_NOISE).with("duration", MIN_PAUSE_SECONDS),
        Filter.of("ametadata").with("mode", "print").with("file", "file:" + events.toAbsolutePath())));
    FFmpegCommand command = FFmpegCommand.newBuilder().input(Input.of(in.path()))
        .output(Output.newBuilder(scratch.resolve("pauses.null")).format("null").stream(audio.index())
            .audio(new AudioEncoding("pcm_s16le", null, 1, null)).audioFilters(filters).threads(1).build())
        .build();
    FFmpegRunner.using(tools).run(command, new RunOptions(timeout, in.durationSeconds(), 0, null));
    List<Double> middles = new ArrayList<>();
    if (!Files.exists(events)) {
      return middles;
    }
    try (BufferedReader r = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
      Double start = null;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("lavfi.silence_start=")) {
          start = Double.parseDouble(line.substring("lavfi.silence_start=".length()).strip());
        } else if (line.startsWith("lavfi.silence_end=") && start != null) {
          double end = Double.parseDouble(line.substring("lavfi.silence_end=".length()).strip());
          middles.add((start + end) / 2);
          start = null;
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot read the pauses ffmpeg found in " + events + ": " + e.getMessage(),
          List.of(), e);
    }
    return middles;
  }

  /**
   * Cuts at the pause nearest each piece's planned end, looked for between half and one and a half
   * piece lengths from its start; with no pause there, at the planned end.
   */
  static List<TranscribeOptions.Piece> cut(List<Double> pauses, double duration, double pieceSeconds) {
    List<TranscribeOptions.Piece> pieces = new ArrayList<>();
    double start = 0;
    while (duration - start > 1.5 * pieceSeconds) {
      double target = start + pieceSeconds;
      double cut = target;
      double best = Double.MAX_VALUE;
      for (double p : pauses) {
        if (p >= start + 0.5 * pieceSeconds && p <= start + 1.5 * pieceSeconds && Math.abs(p - target) < best) {
          best = Math.abs(p - target);
          cut = p;
        }
      }
      pieces.add(new TranscribeOptions.Piece(start, cut - start));
      start = cut;
    }
    // The last piece reads to the end, however the duration was rounded.
    pieces.add(new TranscribeOptions.Piece(start, duration - start + 1));
    return pieces;
  }
}
