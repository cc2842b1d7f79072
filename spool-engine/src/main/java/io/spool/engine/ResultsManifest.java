package io.spool.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spool.media.ErrorCode;
import io.spool.media.Metrics;
import io.spool.media.SpoolException;
import io.spool.media.internal.AtomicOutput;
import io.spool.media.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch's results as JSON lines, one per finished item, appended and synced as items finish so
 * that an interrupted batch can be resumed from it. The last line for an input wins.
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

  private final Path file;
  private final FileChannel channel;
  private final OutputStream out;
  /** Whether opening made the file (there was none before). */
  private final boolean made;
  private boolean written;

  private ResultsManifest(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.toAbsolutePath().getParent());
    this.made = !Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    long size = channel.size();
    channel.position(size);
    if (size > 0) {
      // A line torn by a crash is closed off, so that the next record starts a line of its own.
      java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
      channel.read(last, size - 1);
      if (last.get(0) != '\n') {
        channel.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}));
      }
    }
    this.out = java.nio.channels.Channels.newOutputStream(channel);
  }

  /**
   * Opens for appending. Earlier runs' lines are kept, whether or not this one resumes them: the
   * last line for an input is the one that counts, and nothing recorded is ever dropped.
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

  public synchronized void append(Line line) {
    try {
      byte[] json = (Json.MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      out.write(json);
      written = true;
      out.flush();
      channel.force(false);
    } catch (IOException e) {
      throw AtomicOutput.failure(file, "cannot write results " + file, e);
    }
  }

  /** All readable lines, in file order; a torn last line (from a crash) is skipped. */
  public static List<Line> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank())
          .map(ResultsManifest::parse)
          .filter(java.util.Objects::nonNull)
          .toList();
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot read results " + file + ": " + e.getMessage(), List.of(), e);
    }
  }

  /** The last line for each input. */
  public static Map<String, Line> latestByInput(Path file) {
    Map<String, Line> m = new LinkedHashMap<>();
    read(file).forEach(l -> m.put(l.input(), l));
    return m;
  }

  private static Line parse(String json) {
    try {
      return Json.MAPPER.readValue(json, Line.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot close results " + file + ": " + e.getMessage(), List.of(), e);
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
