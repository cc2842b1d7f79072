package io.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.spool.engine.SpoolEngine;
import io.spool.media.BadArgumentException;
import io.spool.volumes.VolumeEntry;
import io.spool.volumes.VolumePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Turns command-line inputs (files, folders, globs, volume paths) or a manifest into batch items. */
final class BatchInputs {
  /** Extensions taken from folders and globs. */
  static final Set<String> MEDIA = Set.of("mp4", "m4v", "mov", "mkv", "webm", "avi", "mpeg", "mpg", "ts", "m2ts",
      "mts", "flv", "wmv", "ogv", "3gp", "mxf", "mp3", "flac", "wav", "ogg", "opus", "m4a", "aac");

  /** One row of input: where it is and its own option overrides (may be empty). */
  record Row(String input, String output, Map<String, String> options) {}

  private BatchInputs() {}

  /**
   * The inputs named by {@code args}; files found in folders, volume folders and globs are left out
   * when {@code made} says an earlier run of the batch wrote them (outputs inside the input folder).
   */
  static List<Row> expand(List<String> args, SpoolEngine engine, java.util.function.Predicate<String> made) {
    List<Row> rows = new ArrayList<>();
    for (String arg : args) {
      if (engine.isVolumeRef(arg)) {
        VolumePath vp = VolumePath.parse(arg);
        var volume = engine.volumes().open(vp.volume());
        if (!vp.path().isEmpty() && volume.exists(vp.path())) {
          rows.add(new Row(arg, null, Map.of()));
        } else {
          for (VolumeEntry e : volume.list(vp.path())) {
            if (isMedia(e.path()) && !made.test(vp.volume() + ":" + e.path())) {
              rows.add(new Row(vp.volume() + ":" + e.path(), null, Map.of()));
            }
          }
        }
        continue;
      }
      Path p = Path.of(arg);
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).filter(f -> isMedia(f.toString())).filter(f -> !made.test(f.toString())).sorted()
              .forEach(f -> rows.add(new Row(f.toString(), null, Map.of())));
        } catch (IOException e) {
          throw new BadArgumentException("cannot read folder " + p + ": " + e.getMessage());
        }
      } else if (arg.matches(".*[*?\\[].*") && !Files.exists(p)) {
        rows.addAll(glob(p).stream().filter(r -> !made.test(r.input())).toList());
      } else {
        rows.add(new Row(arg, null, Map.of()));
      }
    }
    return rows;
  }

  private static List<Row> glob(Path pattern) {
    Path parent = pattern.toAbsolutePath().getParent();
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
    try (Stream<Path> s = Files.list(parent)) {
      return s.filter(f -> m.matches(f.getFileName())).filter(Files::isRegularFile).sorted()
          .map(f -> new Row(f.toString(), null, Map.of())).toList();
    } catch (IOException e) {
      throw new BadArgumentException("cannot expand " + pattern + ": " + e.getMessage());
    }
  }

  static boolean isMedia(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && MEDIA.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /**
   * Reads a manifest: CSV with a header row, or JSON lines. Column/field {@code input} is required;
   * {@code output}, {@code preset}, {@code height}, {@code crf}, {@code video_codec} and
   * {@code audio_bitrate} are optional per-item overrides.
   */
  static List<Row> manifest(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadArgumentException("cannot read manifest " + file + ": " + e.getMessage());
    }
    List<Row> rows = new ArrayList<>();
    boolean jsonLines = text.stripLeading().startsWith("{");
    try {
      if (jsonLines) {
        int n = 0;
        for (String line : text.split("\\R")) {
          n++;
          if (!line.isBlank()) {
            rows.add(row(Json.MAPPER.readTree(line), file, n));
          }
        }
      } else {
        CsvMapper csv = new CsvMapper();
        try (MappingIterator<JsonNode> it = csv.readerFor(JsonNode.class)
            .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
          int n = 1;
          while (it.hasNext()) {
            rows.add(row(it.next(), file, ++n));
          }
        }
      }
    } catch (IOException e) {
      throw new BadArgumentException("manifest " + file + " is not valid " + (jsonLines ? "JSON lines" : "CSV") + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    if (rows.isEmpty()) {
      throw new BadArgumentException("manifest " + file + " lists no inputs");
    }
    return rows;
  }

  private static Row row(JsonNode n, Path file, int line) {
    String input = text(n, "input");
    if (input == null) {
      throw new BadArgumentException("manifest " + file + " line " + line + " has no input");
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (String key : List.of("preset", "height", "crf", "video_codec", "audio_bitrate")) {
      String v = text(n, key);
      if (v == null) {
        v = text(n, camel(key));
      }
      if (v != null) {
        options.put(key, v);
      }
    }
    return new Row(input, text(n, "output"), options);
  }

  private static String camel(String snake) {
    int i = snake.indexOf('_');
    return i < 0 ? snake : snake.substring(0, i) + Character.toUpperCase(snake.charAt(i + 1)) + snake.substring(i + 2);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().strip();
  }
}
