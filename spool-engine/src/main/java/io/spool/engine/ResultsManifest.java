package io.spool.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.ErrorCode;
import io.spool.media.Metrics;
import io.spool.media.SpoolException;
import io.spool.media.internal.AtomicOutput;
import io.spool.media.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A batch's results as JSON lines, one per finished item, appended and synced as items finish so
 * that an interrupted batch can be resumed from it. The last line for an input wins. Several
 * processes (batches sharing an output folder) may append to one file at once: each line is
 * written whole, under a lock.
 */
public final class ResultsManifest implements AutoCloseable {
  /** One finished item. */
  public record Line(
      String input,
      String output,
      String status,
      String errorCode,
      String error,
      int attempts,
      String jobId,
      double mediaSeconds,
      double speed,
      Metrics metrics,
      JobCost cost,
      String finishedAt,
      Map<String, String> details) {

    public static Line of(JobOutcome o) {
      return new Line(o.input(), o.output(), o.state().name().toLowerCase(java.util.Locale.ROOT), o.errorCode(),
          o.error(), o.attempts(), o.jobId(), o.mediaSeconds(), o.speed(), o.metrics(), o.cost(),
          o.finishedAt() == null ? null : o.finishedAt().toString(), o.details());
    }

    public boolean succeeded() {
      return "succeeded".equals(status);
    }
  }

  /** How many items ended in each state. */
  public record Tally(int succeeded, int failed, int cancelled) {
    public static Tally of(java.util.Collection<Line> lines) {
      int ok = 0;
      int failed = 0;
      int cancelled = 0;
      for (Line l : lines) {
        switch (l.status()) {
          case "succeeded" -> ok++;
          case "cancelled" -> cancelled++;
          default -> failed++;
        }
      }
      return new Tally(ok, failed, cancelled);
    }
  }

  /** What a read found: the lines it can use, in file order, and one message for each line it skipped. */
  public record Contents(List<Line> lines, List<String> skipped) {}

  private static final Set<String> STATUSES = Set.of("succeeded", "failed", "cancelled");
  private static final int REASON_CHARS = 160;

  /**
   * Serialises this JVM's manifest work. The file lock that keeps processes apart is held by the
   * process: a second lock on the same file from this JVM throws OverlappingFileLockException, and
   * closing any channel on the file drops the process's lock. So every lock, read and close here
   * happens under this monitor too; each holds it for one line or one read.
   */
  private static final Object IN_THIS_JVM = new Object();

  private final Path file;
  private final FileChannel channel;
  /** Whether opening made the file (there was none before). */
  private final boolean made;
  private boolean written;

  private ResultsManifest(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.toAbsolutePath().getParent());
    this.made = !Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
  }

  /**
   * Opens for appending. Earlier runs' lines are kept, whether or not this one resumes them: the
   * last line for an input is the one that counts, and nothing recorded is ever dropped. Other
   * processes may append to the same file at the same time.
   */
  public static ResultsManifest open(Path file) {
    try {
      return new ResultsManifest(file);
    } catch (IOException e) {
      throw AtomicOutput.failure(file, "cannot open results " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  /**
   * Appends one line and syncs it. The whole line is one write at the end of the file under an
   * exclusive lock, so lines from several processes never interleave or overwrite each other; a
   * line that a writer which died left without its end is closed off first, so that this one
   * starts a line of its own (under the lock, a line without its end cannot be one being written).
   */
  public void append(Line line) {
    byte[] json;
    try {
      json = (Json.MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new SpoolException(ErrorCode.INTERNAL, "cannot write a results line for " + line.input() + ": "
          + e.getOriginalMessage(), List.of(), e);
    }
    synchronized (IN_THIS_JVM) {
      try {
        FileLock lock = channel.lock();
        try {
          long end = channel.size();
          ByteBuffer bytes = endsTorn(end) ? ByteBuffer.allocate(json.length + 1).put((byte) '\n').put(json).flip()
              : ByteBuffer.wrap(json);
          while (bytes.hasRemaining()) {
            end += channel.write(bytes, end);
          }
          channel.force(false);
          written = true;
        } finally {
          lock.release();
        }
      } catch (IOException e) {
        throw AtomicOutput.failure(file, "cannot write results " + file, e);
      }
    }
  }

  /** Whether the file, {@code size} bytes long, ends inside a line. */
  private boolean endsTorn(long size) throws IOException {
    if (size == 0) {
      return false;
    }
    ByteBuffer last = ByteBuffer.allocate(1);
    return channel.read(last, size - 1) == 1 && last.get(0) != '\n';
  }

  /** All usable lines, in file order; lines that are not results lines (a torn one, say) are left out. */
  public static List<Line> read(Path file) {
    return scan(file).lines();
  }

  /**
   * All lines, in file order: those that read as results lines, and a one-line message (naming the
   * line and why) for each that does not: not JSON (torn by a crash, damaged), or JSON that is not
   * a results line (no input, no known status). Reads under a shared lock, so that a line another
   * process is appending is read whole or not at all.
   */
  public static Contents scan(Path file) {
    if (!Files.isRegularFile(file)) {
      return new Contents(List.of(), List.of());
    }
    String text;
    synchronized (IN_THIS_JVM) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        FileLock lock = ch.lock(0, Long.MAX_VALUE, true);
        try {
          text = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        } finally {
          lock.release();
        }
      } catch (IOException e) {
        throw new SpoolException(ErrorCode.IO_ERROR, "cannot read results " + file + ": " + e.getMessage(), List.of(), e);
      }
    }
    List<Line> lines = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    String[] raw = text.split("\n", -1);
    // The text after the last line end: empty, or a line whose writer ended before finishing it.
    int count = raw.length - 1;
    for (int i = 0; i < raw.length; i++) {
      String l = raw[i];
      if (l.isBlank()) {
        continue;
      }
      String where = "line " + (i + 1) + " of " + file + ": ";
      JsonNode json;
      try {
        json = Json.MAPPER.readTree(l);
      } catch (JsonProcessingException e) {
        skipped.add(where + (i == count ? "not JSON: cut short, without a line end (" : "not JSON (") + reason(e) + ")");
        continue;
      }
      if (!json.isObject()) {
        skipped.add(where + "not a results line (JSON, but not an object)");
        continue;
      }
      String problem;
      try {
        Line parsed = Json.MAPPER.treeToValue(json, Line.class);
        problem = problem(parsed);
        if (problem == null) {
          lines.add(parsed);
          continue;
        }
      } catch (JsonProcessingException e) {
        problem = "not a results line (" + reason(e) + ")";
      }
      skipped.add(where + problem);
    }
    return new Contents(List.copyOf(lines), List.copyOf(skipped));
  }

  /** Why a line that parsed cannot count as a result, or null when it can. */
  private static String problem(Line l) {
    if (l.input() == null || l.input().isBlank()) {
      return "not a results line (no input)";
    }
    if (!STATUSES.contains(l.status())) {
      return "not a results line (status " + (l.status() == null ? "missing" : "\"" + shortened(l.status()) + "\"")
          + ", not one of succeeded, failed, cancelled)";
    }
    return null;
  }

  private static String reason(JsonProcessingException e) {
    return shortened(String.valueOf(e.getOriginalMessage()));
  }

  /** One line, not too long, for a warning. */
  private static String shortened(String s) {
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() <= REASON_CHARS ? one : one.substring(0, REASON_CHARS) + "...";
  }

  /** The last line for each input. */
  public static Map<String, Line> latestByInput(Path file) {
    return latestByInput(read(file));
  }

  /** The last line for each input among {@code lines}, in file order. */
  public static Map<String, Line> latestByInput(List<Line> lines) {
    Map<String, Line> m = new LinkedHashMap<>();
    lines.forEach(l -> m.put(l.input(), l));
    return m;
  }

  @Override
  public void close() {
    synchronized (IN_THIS_JVM) {
      try {
        channel.close();
      } catch (IOException e) {
        throw new SpoolException(ErrorCode.IO_ERROR, "cannot close results " + file + ": " + e.getMessage(), List.of(), e);
      }
    }
  }

  /** Closes, and removes the file if opening made it and nothing was written to it. */
  public synchronized void closeUnused() {
    close();
    if (made && !written) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new SpoolException(ErrorCode.IO_ERROR, "cannot remove unused results " + file + ": " + e.getMessage(), List.of(), e);
      }
    }
  }
}
