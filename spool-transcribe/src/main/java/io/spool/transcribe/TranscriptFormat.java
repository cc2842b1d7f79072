package io.spool.transcribe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spool.media.BadArgumentException;
import io.spool.media.OutputNotWritableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The files a transcript is written as. Subtitles ({@link #SRT}, {@link #VTT}) keep to the usual
 * reading rules: at most {@value #MAX_LINES} lines of at most {@value #MAX_LINE_CHARS} characters
 * a cue, a segment too long for one cue is split into several that share its time in proportion
 * to their text, and cues are numbered from 1.
 */
public enum TranscriptFormat {
  /** Plain text, one segment a line. */
  TXT("txt"),
  /** SubRip. */
  SRT("srt"),
  /** WebVTT. */
  VTT("vtt"),
  /** The transcript as JSON: language, duration, text and segments. */
  JSON("json");

  /** The longest subtitle line, in characters (the common broadcast rule). */
  public static final int MAX_LINE_CHARS = 42;
  /** The most lines one subtitle cue shows. */
  public static final int MAX_LINES = 2;
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String extension;

  TranscriptFormat(String extension) {
    this.extension = extension;
  }

  /** The file name extension, without the dot. */
  public String extension() {
    return extension;
  }

  public static TranscriptFormat parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (TranscriptFormat f : values()) {
      if (f.extension.equals(n)) {
        return f;
      }
    }
    throw new BadArgumentException("unknown transcript format '" + name + "'; use "
        + Arrays.stream(values()).map(TranscriptFormat::extension).collect(Collectors.joining(", ")));
  }

  /** Formats named in a comma-separated list such as {@code txt,srt}, each once, in the order given. */
  public static List<TranscriptFormat> parseList(String list) {
    Set<TranscriptFormat> formats = new LinkedHashSet<>();
    for (String part : list.split(",")) {
      if (!part.isBlank()) {
        formats.add(parse(part));
      }
    }
    if (formats.isEmpty()) {
      throw new BadArgumentException("give at least one transcript format, got '" + list + "'");
    }
    return List.copyOf(formats);
  }

  /** Writes {@code transcript} to {@code file} (UTF-8), replacing what is there. */
  public void write(Transcript transcript, Path file) {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(transcript, w);
    } catch (IOException e) {
      throw new OutputNotWritableException("cannot write " + file + ": " + e.getMessage(), java.util.List.of(), e);
    }
  }

  public void write(Transcript transcript, Writer out) throws IOException {
    switch (this) {
      case TXT -> {
        for (Segment s : transcript.segments()) {
          if (!s.text().isEmpty()) {
            out.write(oneLine(s.text()));
            out.write('\n');
          }
        }
      }
      case SRT -> {
        int n = 0;
        for (Cue c : cues(transcript)) {
          out.write(++n + "\n" + time(c.start(), ',') + " --> " + time(c.end(), ',') + "\n");
          out.write(String.join("\n", c.lines()) + "\n\n");
        }
      }
      case VTT -> {
        out.write("WEBVTT\n\n");
        for (Cue c : cues(transcript)) {
          out.write(time(c.start(), '.') + " --> " + time(c.end(), '.') + "\n");
          for (String line : c.lines()) {
            out.write(line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "\n");
          }
          out.write('\n');
        }
      }
      case JSON -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("language", transcript.language());
        m.put("durationSeconds", transcript.durationSeconds());
        m.put("text", transcript.text());
        m.put("segments", transcript.segments());
        out.write(MAPPER.writeValueAsString(m));
        out.write('\n');
      }
      default -> throw new IllegalStateException(name());
    }
  }

  /** The transcript in this format, as text. */
  public String render(Transcript transcript) {
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      write(transcript, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** One subtitle cue: its time in seconds and its lines. */
  record Cue(double start, double end, List<String> lines) {}

  /** The subtitle cues of a transcript: each segment as one cue, or several where its text is long. */
  static List<Cue> cues(Transcript t) {
    List<Cue> cues = new ArrayList<>();
    for (Segment s : t.segments()) {
      List<String> lines = wrap(oneLine(s.text()), MAX_LINE_CHARS);
      if (lines.isEmpty()) {
        continue;
      }
      int chars = lines.stream().mapToInt(String::length).sum();
      double perChar = (s.endSeconds() - s.startSeconds()) / Math.max(1, chars);
      double at = s.startSeconds();
      for (int i = 0; i < lines.size(); i += MAX_LINES) {
        List<String> part = lines.subList(i, Math.min(lines.size(), i + MAX_LINES));
        boolean last = i + MAX_LINES >= lines.size();
        double end = last ? s.endSeconds() : at + perChar * part.stream().mapToInt(String::length).sum();
        cues.add(new Cue(at, end, List.copyOf(part)));
        at = end;
      }
    }
    return cues;
  }

  /** Words in lines of at most {@code width} characters; a longer word gets a line of its own. */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  /** {@code HH:MM:SS,mmm} (SubRip) or {@code HH:MM:SS.mmm} (WebVTT). */
  static String time(double seconds, char separator) {
    long ms = Math.round(seconds * 1000);
    return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, separator,
        ms % 1000);
  }
}
