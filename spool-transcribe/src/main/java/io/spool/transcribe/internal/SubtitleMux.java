package io.spool.transcribe.internal;

import io.spool.media.AudioEncoding;
import io.spool.media.BadArgumentException;
import io.spool.media.FFmpegCommand;
import io.spool.media.FFmpegRunner;
import io.spool.media.FFprobe;
import io.spool.media.Input;
import io.spool.media.InvalidInputException;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.Output;
import io.spool.media.ProcessFailedException;
import io.spool.media.RunOptions;
import io.spool.media.RunResult;
import io.spool.media.StreamType;
import io.spool.media.Toolchain;
import io.spool.media.VideoEncoding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Set;

/**
 * Puts subtitles into a copy of a media file as a soft subtitle track: MP4 and MOV get MP4 timed
 * text ({@code mov_text}), Matroska SubRip. The picture and sound are copied where the container
 * takes their codecs, and encoded (H.264, AAC) where it does not, such as PCM audio in MP4. The
 * input's own subtitle tracks are kept ahead of the new one where the container can hold them.
 */
public final class SubtitleMux {
  private static final Set<String> MP4_VIDEO = Set.of("h264", "hevc", "av1", "mpeg4", "vp9");
  private static final Set<String> MP4_AUDIO = Set.of("aac", "mp3", "ac3", "eac3", "opus", "alac", "flac");

  private SubtitleMux() {}

  /** The container a name's extension asks for: {muxer, subtitle codec}. */
  public static String[] container(String outputName) {
    String n = outputName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".mp4") || n.endsWith(".m4v") || n.endsWith(".m4a")) {
      return new String[] {"mp4", "mov_text"};
    }
    if (n.endsWith(".mov")) {
      return new String[] {"mov", "mov_text"};
    }
    if (n.endsWith(".mkv") || n.endsWith(".mka")) {
      return new String[] {"matroska", "srt"};
    }
    throw new BadArgumentException("--embed makes an MP4, MOV or MKV file (.mp4, .m4v, .m4a, .mov, .mkv), not " + outputName);
  }

  /**
   * Writes {@code input}'s video and audio with {@code subtitles} (a file ffmpeg reads as subtitles:
   * WebVTT, which may hold no cue) as a subtitle track in {@code language}
   * into {@code output} (a staged file, hence the container named by {@code outputName}), and checks
   * that the track is there.
   */
  public static void embed(Toolchain tools, Path input, Path subtitles, String language, Path output, String outputName,
      Duration timeout, long memoryLimitBytes) {
    String[] container = container(outputName);
    boolean mkv = container[0].equals("matroska");
    MediaInfo in = FFprobe.using(tools).probe(input);
    List<MediaStream> video = in.videoStreams();
    List<MediaStream> audio = in.audioStreams();
    // The input's own subtitle tracks stay, ahead of the new one: Matroska takes them all (MP4's
    // timed text as SubRip), MP4 and MOV the text ones as timed text. Bitmap subtitles do not fit
    // in MP4, so they are left out there, as a transcode leaves them out.
    List<MediaStream> kept = in.streams().stream()
        .filter(s -> s.type() == StreamType.SUBTITLE && (mkv || s.isTextSubtitle())).toList();
    Output.Builder out = Output.newBuilder(output).format(container[0]).fastStart(!mkv).subtitleCodec(container[1]);
    video.forEach(s -> out.stream(s.index()));
    audio.forEach(s -> out.stream(s.index()));
    kept.forEach(s -> out.stream(s.index()));
    if (mkv) {
      in.streams().stream().filter(s -> s.type() == StreamType.ATTACHMENT).forEach(s -> out.stream(s.index()));
    }
    out.stream(1, 0);
    List<String> subtitleArguments = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      String codec = !mkv ? container[1] : kept.get(i).codec().equals("mov_text") ? "srt" : "copy";
      subtitleArguments.addAll(List.of("-c:s:" + i, codec));
    }
    subtitleArguments.addAll(List.of("-c:s:" + kept.size(), container[1],
        "-metadata:s:s:" + kept.size(), "language=" + iso639_2(language)));
    if (!video.isEmpty()) {
      boolean copy = mkv || video.stream().allMatch(s -> MP4_VIDEO.contains(s.codec()));
      out.video(copy ? VideoEncoding.newBuilder().codec("copy").build()
          : VideoEncoding.newBuilder().codec("libx264").preset("veryfast").crf(23).pixelFormat("yuv420p").build());
    }
    if (!audio.isEmpty()) {
      boolean copy = mkv || audio.stream().allMatch(s -> MP4_AUDIO.contains(s.codec()));
      out.audio(copy ? new AudioEncoding("copy", null, null, null) : AudioEncoding.of("aac", 128));
    }
    FFmpegCommand command = FFmpegCommand.newBuilder().input(Input.of(input)).input(Input.of(subtitles)).output(out.build())
        .extraOutputArguments(subtitleArguments).build();
    RunResult run = FFmpegRunner.using(tools).run(command, new RunOptions(timeout, in.durationSeconds(), memoryLimitBytes, null));
    MediaInfo made;
    try {
      made = FFprobe.using(tools).probe(output);
    } catch (InvalidInputException e) {
      throw new ProcessFailedException("ffmpeg wrote an unreadable file: " + e.getMessage(), 0, run.stderrTail());
    }
    long tracks = made.streams().stream().filter(s -> s.type() == StreamType.SUBTITLE).count();
    if (tracks != kept.size() + 1) {
      throw new ProcessFailedException("ffmpeg wrote " + tracks + " of the " + (kept.size() + 1) + " subtitle tracks into "
          + outputName, 0, run.stderrTail());
    }
  }

  /** The three-letter code containers store ({@code eng}); {@code und} when the language is not known. */
  static String iso639_2(String language) {
    if (language == null || language.equals("auto")) {
      return "und";
    }
    try {
      String three = Locale.forLanguageTag(language).getISO3Language();
      return three.isEmpty() ? "und" : three;
    } catch (MissingResourceException e) {
      return "und";
    }
  }
}
