package io.spool.media.testing;

import io.spool.media.SampleMedia;
import io.spool.media.Toolchain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Shared test fixtures: the real media corpus, clips generated with ffmpeg's own sources, and an
 * independent ffprobe reader (plain {@code -show_entries}, not Spool's parser) to check against.
 */
public final class MediaFixtures {
  private static final Map<String, Path> SAMPLES = new java.util.concurrent.ConcurrentHashMap<>();

  private MediaFixtures() {}

  public static Toolchain tools() {
    return Toolchain.locate();
  }

  /**
   * The repository's test media folder ({@code testdata/media}, see its SOURCES.md), named by the
   * build in {@code spool.testdata}. A missing folder fails the test: tests never skip for want of
   * a fixture.
   */
  public static Path corpus() {
    String prop = System.getProperty("spool.testdata");
    Path dir = prop != null ? Path.of(prop) : null;
    if (dir == null) {
      Path here = Path.of("").toAbsolutePath();
      while (here != null && !Files.isDirectory(here.resolve("testdata/media"))) {
        here = here.getParent();
      }
      dir = here == null ? Path.of("testdata/media") : here.resolve("testdata/media");
    }
    if (!Files.isDirectory(dir)) {
      throw new AssertionError("test media folder missing: " + dir + " (the repository's testdata/media)");
    }
    return dir.toAbsolutePath().normalize();
  }

  /** One file of the test media folder; a missing file fails the test with its name. */
  public static Path media(String name) {
    Path file = corpus().resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("test media file missing: testdata/media/" + name);
    }
    return file;
  }

  /**
   * One file of the repository's test models ({@code testdata/models}, see its SOURCES.md), beside
   * the test media folder; a missing file fails the test with its name.
   */
  public static Path testModel(String name) {
    Path file = corpus().getParent().resolve("models").resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("test model file missing: testdata/models/" + name);
    }
    return file;
  }

  /** Every media file in the corpus (not the text files). */
  public static List<Path> corpusFiles() {
    try (Stream<Path> s = Files.list(corpus())) {
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().matches("(?i).*\\.(md|txt|srt)|SHA256SUMS"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Corpus files broken on purpose. */
  public static boolean damaged(Path p) {
    String n = p.getFileName().toString();
    return n.startsWith("damaged_") || n.startsWith("misnamed_");
  }

  /** Corpus files that contain a real video track (cover art does not count), read independently. */
  public static List<Path> corpusVideos() {
    return corpusFiles().stream().filter(p -> !damaged(p)).filter(MediaFixtures::hasRealVideo).toList();
  }

  private static boolean hasRealVideo(Path p) {
    return independentStreams(p).stream()
        .anyMatch(s -> "video".equals(s.get("codec_type")) && "0".equals(s.get("disposition.attached_pic")));
  }

  /**
   * Reads stream facts with plain ffprobe {@code -show_entries ... -of flat}: one map per stream,
   * keys as ffprobe names them ({@code width}, {@code side_data_list.side_data.0.rotation}, ...).
   */
  public static List<Map<String, String>> independentStreams(Path file) {
    String out = run(List.of("ffprobe", "-v", "error", "-show_entries",
        "stream=index,codec_type,codec_name,width,height,r_frame_rate,avg_frame_rate,channels"
            + ":stream_side_data=rotation:stream_tags=rotate:stream_disposition=attached_pic",
        "-of", "flat", file.toString()));
    List<Map<String, String>> streams = new ArrayList<>();
    for (String line : out.split("\\R")) {
      if (!line.startsWith("streams.stream.")) {
        continue;
      }
      String rest = line.substring("streams.stream.".length());
      int dot = rest.indexOf('.');
      int index = Integer.parseInt(rest.substring(0, dot));
      int eq = rest.indexOf('=');
      String key = rest.substring(dot + 1, eq);
      String value = rest.substring(eq + 1).replace("\"", "");
      while (streams.size() <= index) {
        streams.add(new LinkedHashMap<>());
      }
      streams.get(index).put(key, value);
    }
    return streams;
  }

  /** Container duration in seconds, read with plain ffprobe. */
  public static double independentDuration(Path file) {
    return Double.parseDouble(run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration",
        "-of", "default=nw=1:nk=1", file.toString())).strip());
  }

  /** Runs a command, returns stdout; fails the test on a non-zero exit. */
  public static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("command failed: " + command);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * A generated H.264/AAC clip, made once per JVM and size and then copied into {@code dir} under
   * {@code name}.
   */
  public static Path sample(Path dir, String name, int width, int height, double seconds) {
    String key = width + "x" + height + "@" + seconds;
    Path master = SAMPLES.computeIfAbsent(key, k -> {
      try {
        Path d = Files.createTempDirectory("spool-sample-");
        d.toFile().deleteOnExit();
        Path f = d.resolve("sample.mp4");
        SampleMedia.write(tools(), f, width, height, 25, seconds);
        f.toFile().deleteOnExit();
        return f;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      Path target = dir.resolve(name);
      Files.createDirectories(target.getParent());
      return Files.copy(master, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A top-level MP4 box: its type, where it starts and how many bytes it claims. */
  public record Box(String type, long start, long size) {}

  /**
   * Top-level MP4 boxes in file order, read straight from the bytes (to check that {@code moov}
   * precedes {@code mdat}, or to cut a file at a box).
   */
  public static List<Box> topLevelBoxSpans(Path mp4) {
    List<Box> boxes = new ArrayList<>();
    try (var ch = java.nio.channels.FileChannel.open(mp4)) {
      long pos = 0;
      long size = ch.size();
      java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(16);
      while (pos + 8 <= size) {
        header.clear();
        ch.read(header, pos);
        header.flip();
        long boxSize = Integer.toUnsignedLong(header.getInt());
        byte[] type = new byte[4];
        header.get(type);
        if (boxSize == 1) {
          boxSize = header.getLong();
        } else if (boxSize == 0) {
          boxSize = size - pos;
        }
        boxes.add(new Box(new String(type, java.nio.charset.StandardCharsets.ISO_8859_1), pos, boxSize));
        if (boxSize < 8) {
          break;
        }
        pos += boxSize;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return boxes;
  }

  /** Top-level MP4 box types in file order. */
  public static List<String> topLevelBoxes(Path mp4) {
    return topLevelBoxSpans(mp4).stream().map(Box::type).toList();
  }

  /** What a read-back description says about a stream, ffprobe says too (where it says anything). */
  public static void assertDescribedAsFfprobeDoes(io.spool.media.MediaStream s, io.spool.media.MediaStream p) {
    String where = "stream " + s.index() + " (" + s.codec() + ")";
    org.assertj.core.api.Assertions.assertThat(s.codecLongName()).as(where).isEqualTo(p.codecLongName());
    org.assertj.core.api.Assertions.assertThat(s.language()).as(where).isEqualTo(p.language());
    org.assertj.core.api.Assertions.assertThat(s.dispositions()).as(where).isSubsetOf(p.dispositions());
    if (s.profile() != null) {
      org.assertj.core.api.Assertions.assertThat(s.profile()).as(where).isEqualTo(p.profile());
    }
    if (s.type() == io.spool.media.StreamType.VIDEO) {
      org.assertj.core.api.Assertions.assertThat(s.width()).as(where).isEqualTo(p.width());
      org.assertj.core.api.Assertions.assertThat(s.height()).as(where).isEqualTo(p.height());
      if (s.pixelFormat() != null) {
        // Full range shows as ffmpeg's old yuvj formats only where a colour box says so.
        org.assertj.core.api.Assertions.assertThat(s.pixelFormat()).as(where)
            .isIn(p.pixelFormat(), p.pixelFormat() == null ? null : p.pixelFormat().replace("yuvj", "yuv"));
      }
      org.assertj.core.api.Assertions.assertThat(s.averageFrameRate().toDouble()).as(where).isCloseTo(p.averageFrameRate().toDouble(), org.assertj.core.api.Assertions.within(0.5));
    } else {
      org.assertj.core.api.Assertions.assertThat(s.sampleRate()).as(where).isEqualTo(p.sampleRate());
      org.assertj.core.api.Assertions.assertThat(s.channels()).as(where).isEqualTo(p.channels());
      if (s.channelLayout() != null) {
        org.assertj.core.api.Assertions.assertThat(s.channelLayout()).as(where).isEqualTo(p.channelLayout());
      }
    }
  }

  /** Pids of live ffmpeg processes whose command line mentions {@code marker}. */
  public static List<Long> ffmpegProcessesMentioning(String marker) {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().command().map(c -> c.endsWith("ffmpeg")).orElse(false))
        .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
        .map(ProcessHandle::pid)
        .toList();
  }
}
