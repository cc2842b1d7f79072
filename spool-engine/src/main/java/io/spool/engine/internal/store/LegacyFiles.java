package io.spool.engine.internal.store;

import io.spool.engine.BatchRecord;
import io.spool.engine.JobRecord;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Records kept by Spool before it had a database: one JSON file per record under
 * {@code HOME/jobs} and {@code HOME/batches}, and one empty-ish file per request under
 * {@code HOME/cancel-requests}. They are imported once, in one transaction, and the folders are
 * then renamed ({@code jobs.imported}), so that a later start does not look again. A file that
 * cannot be read is left out with a one-line notice.
 */
final class LegacyFiles {
  private static final List<String> FOLDERS = List.of("jobs", "batches", "cancel-requests");

  private LegacyFiles() {}

  /** Imports the old records in {@code home} into {@code db}, if there are any. */
  static void importInto(Database db, Path home, Consumer<String> notice) {
    if (!present(home)) {
      return;
    }
    HomeLock held = HomeLock.take(home);
    try {
      if (!present(home)) {
        return; // another process has imported them meanwhile
      }
      List<BatchRecord> batches = read(home.resolve("batches"), BatchRecord.class, "batch", notice);
      List<JobRecord> jobs = new ArrayList<>(read(home.resolve("jobs"), JobRecord.class, "job", notice));
      // Ended jobs take their places in their batches' feeds in the order they ended.
      jobs.sort(Comparator.comparing((JobRecord r) -> r.outcome() == null || r.outcome().finishedAt() == null
          ? Instant.MAX : r.outcome().finishedAt()).thenComparing(JobRecord::createdAt).thenComparing(JobRecord::index));
      List<String> cancels = names(home.resolve("cancel-requests"));
      db.write(c -> {
        for (BatchRecord b : batches) {
          if (BatchRows.one(c, b.id(), "") == null) {
            BatchRows.put(c, b);
          }
        }
        List<JobRows.Change> changes = new ArrayList<>();
        for (JobRecord r : jobs) {
          if (JobRows.current(c, "", r.id()) == null) {
            changes.add(new JobRows.Change(r, null));
          }
        }
        JobRows.write(c, changes);
        long now = System.currentTimeMillis();
        for (String id : cancels) {
          CancelRows.add(c, id, now);
        }
        return null;
      });
      for (String folder : FOLDERS) {
        retire(home.resolve(folder));
      }
    } finally {
      held.close();
    }
  }

  private static boolean present(Path home) {
    return FOLDERS.stream().anyMatch(f -> Files.isDirectory(home.resolve(f)));
  }

  private static <T> List<T> read(Path dir, Class<T> type, String kind, Consumer<String> notice) {
    List<T> out = new ArrayList<>();
    for (Path file : entries(dir)) {
      String name = file.getFileName().toString();
      if (!name.endsWith(".json")) {
        continue;
      }
      String what = kind + " record " + file;
      try {
        out.add(RecordJson.read(Files.readString(file), type, what));
      } catch (IOException e) {
        notice.accept("did not import unreadable " + what + ": " + e.getMessage());
      } catch (SpoolException e) {
        notice.accept("did not import " + e.getMessage());
      }
    }
    return out;
  }

  private static List<String> names(Path dir) {
    return entries(dir).stream().map(p -> p.getFileName().toString()).filter(n -> n.matches("[a-z0-9-]{1,80}")).toList();
  }

  /** The folder's entries but those that the old store wrote on their way in ({@code .x.tmp}). */
  private static List<Path> entries(Path dir) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot list " + dir + " to import its records: " + e.getMessage(), List.of(), e);
    }
    out.sort(null);
    return out;
  }

  /** Renames an imported folder to {@code NAME.imported} (or {@code NAME.imported-2}, ...). */
  private static void retire(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    Path to = dir.resolveSibling(dir.getFileName() + ".imported");
    for (int n = 2; Files.exists(to); n++) {
      to = dir.resolveSibling(dir.getFileName() + ".imported-" + n);
    }
    try {
      Files.move(dir, to);
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "imported the records of " + dir + " but cannot rename it to " + to + ": "
          + e.getMessage(), List.of(), e);
    }
  }
}
