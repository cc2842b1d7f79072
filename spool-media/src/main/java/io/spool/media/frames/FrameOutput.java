package io.spool.media.frames;

import io.spool.media.AudioEncoding;
import io.spool.media.BadArgumentException;
import io.spool.media.Preset;
import io.spool.media.VideoCodecs;
import io.spool.media.VideoEncoding;
import java.util.Locale;
import java.util.Set;

/**
 * How a video whose frames were changed is written, by its file's extension: the web preset's
 * H.264 in MP4, MOV or MKV, VP9 in WebM ({@code crf} overriding the quality). The audio is copied
 * as it is where the container takes it, else encoded as the preset's.
 */
record FrameOutput(String muxer, VideoEncoding video, AudioEncoding audio, Set<String> copiedAudio, boolean fastStart) {
  private static final AudioEncoding COPY = new AudioEncoding("copy", null, null, null);

  static FrameOutput of(String fileName, Integer crf) {
    int dot = fileName.lastIndexOf('.');
    String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    Set<String> mp4Audio = Set.of("aac", "mp3", "ac3", "eac3", "alac");
    return switch (ext) {
      case "mp4", "m4v" -> new FrameOutput("mp4", VideoCodecs.resolve(Preset.WEB, null, crf), Preset.WEB.audio(), mp4Audio, true);
      case "mov" -> new FrameOutput("mov", VideoCodecs.resolve(Preset.WEB, null, crf), Preset.WEB.audio(), mp4Audio, true);
      case "mkv" -> new FrameOutput("matroska", VideoCodecs.resolve(Preset.WEB, null, crf), Preset.WEB.audio(), null, false);
      case "webm" -> new FrameOutput("webm", VideoCodecs.resolve(Preset.VP9, null, crf), Preset.VP9.audio(),
          Set.of("opus", "vorbis"), false);
      default -> throw new BadArgumentException("cannot tell the output format from '" + fileName
          + "'; name it .mp4, .m4v, .mov, .mkv or .webm");
    };
  }

  /** The audio encoding for an input track in {@code codec}: a copy where the container takes it. */
  AudioEncoding audioFor(String codec) {
    return copiedAudio == null || copiedAudio.contains(codec) ? COPY : audio;
  }
}
