package io.spool.http.internal;

import io.spool.http.HttpStatuses.Refusal;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import io.spool.media.internal.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable uploads on disk, one folder each: {@code info.json} (length and metadata), {@code data}
 * (the bytes so far) and {@code offset} (how many of them are known to be on disk: written after
 * the data is synced, so that after a crash or restart the upload goes on from there and any
 * unsynced tail is cut off). An unfinished upload expires once {@code expiry} passes without a
 * write; a finished one stays until it is deleted.
 */
final class ResumableUploads {
  private static final Logger LOG = LoggerFactory.getLogger(ResumableUploads.class);
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
  private static final int BUFFER = 64 * 1024;
  /** How many bytes an append writes between syncs (and offset records). */
  private static final long SYNC_EVERY = 8L << 20;
  /** Bounded locks, one per upload by hash: one writer at a time per upload, and no map that grows. */
  private static final int STRIPES = 64;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path root;
  private final Duration expiry;
  private final Clock clock;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  ResumableUploads(Path root, Duration expiry, Clock clock) {
    this.root = root;
    this.expiry = expiry;
    this.clock = clock;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** What a client declared when it created the upload. */
  record Info(String id, long length, Map<String, String> metadata, Instant createdAt) {
    Info {
      metadata = Map.copyOf(metadata);
    }

    /** The client's file name (the {@code filename} metadata), as a plain name, or null. */
    String filename() {
      return Uploads.safeName(metadata.get("filename"));
    }
  }

  /** An upload as it stands: how far it got and when it expires (null once finished). */
  record State(Info info, long offset, Instant expiresAt) {
    boolean finished() {
      return offset == info.length();
    }
  }

  Duration expiry() {
    return expiry;
  }

  State create(long length, Map<String, String> metadata) {
    String id = HexFormat.of().formatHex(bytes(16));
    Path dir = root.resolve(id);
    try {
      Files.createDirectories(dir);
      Info info = new Info(id, length, metadata, clock.instant());
      Files.write(dir.resolve("info.json"), HttpJson.write(info).getBytes(StandardCharsets.UTF_8));
      Files.createFile(dir.resolve("data"));
      recordOffset(dir, 0);
      return state(dir);
    } catch (IOException e) {
      throw io("cannot create upload " + id, e);
    }
  }

  /** Writes an upload's bytes into the file it is given. */
  interface Filler {
    void fill(Path data) throws IOException, InterruptedException;
  }

  /**
   * A finished upload whose bytes the server writes itself (an input URL's): {@code fill} writes
   * them into its data file, and only then is its length recorded, so that an upload that failed
   * half way is never found (and the sweep removes its folder); on a failure it is removed at once.
   */
  State store(Map<String, String> metadata, Filler fill) throws InterruptedException {
    String id = HexFormat.of().formatHex(bytes(16));
    Path dir = root.resolve(id);
    try {
      Files.createDirectories(dir);
      Path data = dir.resolve("data");
      boolean done = false;
      try {
        fill.fill(data);
        long length = Files.size(data);
        Files.write(dir.resolve("info.json"),
            HttpJson.write(new Info(id, length, metadata, clock.instant())).getBytes(StandardCharsets.UTF_8));
        recordOffset(dir, length);
        done = true;
        return state(dir);
      } finally {
        if (!done) {
          FileTrees.delete(dir);
        }
      }
    } catch (IOException e) {
      throw io("cannot store upload " + id, e);
    }
  }

  /**
   * Removes a finished upload's bytes but keeps its record until the sweep (so that a job's input
   * is still named as the request named it); nothing happens to an upload that is not there.
   */
  void dropData(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return;
    }
    try {
      Files.deleteIfExists(root.resolve(id).resolve("data"));
    } catch (IOException e) {
      LOG.warn("bytes of upload {} not removed: {}", id, e.getMessage());
    }
  }

  /** Removes an upload whose bytes no job was made to read (a refused request's download), record and all. */
  void discard(String id) {
    try {
      FileTrees.delete(dirOf(id));
    } catch (IOException | RuntimeException e) {
      LOG.warn("upload {} not removed: {}", id, e.getMessage());
    }
  }

  /** The id of the upload whose file {@code path} is, or null where it is none. */
  String idOf(String path) {
    if (path == null) {
      return null;
    }
    Path p = Path.of(path);
    if (!p.startsWith(root) || p.getNameCount() != root.getNameCount() + 2 || !p.getFileName().toString().equals("data")) {
      return null;
    }
    String id = p.getParent().getFileName().toString();
    return ID.matcher(id).matches() ? id : null;
  }

  /** The upload's state; refused as not found when there is no such upload (or it expired). */
  State find(String id) {
    Path dir = dirOf(id);
    try {
      State s = state(dir);
      if (!s.finished() && !clock.instant().isBefore(s.expiresAt())) {
        throw notFound(id, "it expired at " + s.expiresAt());
      }
      return s;
    } catch (NoSuchFileException e) {
      throw notFound(id, null);
    } catch (IOException e) {
      throw io("cannot read upload " + id, e);
    }
  }

  /**
   * {@link #find}, but after waiting up to {@code wait} for a write in progress to end, so that an
   * interrupted write's last bytes are counted before a client resumes from the answer.
   */
  State settled(String id, Duration wait) throws InterruptedException {
    ReentrantLock lock = lockOf(dirOf(id).getFileName().toString());
    boolean held = lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return find(id);
    } finally {
      if (held) {
        lock.unlock();
      }
    }
  }

  /** Where a server over {@code engine} keeps its resumable uploads. */
  static Path rootOf(io.spool.engine.SpoolEngine engine) {
    return engine.config().scratchDir().resolve("http").resolve("uploads");
  }

  /**
   * {@code text} (a job's input, an error message) with the file of every upload under {@code root}
   * named as a request names it, {@code upload:ID}: no answer shows where the server keeps its files.
   */
  static String named(Path root, String text) {
    if (text == null) {
      return null;
    }
    String r = root.toString();
    if (!text.contains(r)) {
      return text;
    }
    return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(r) + "[/\\\\]([A-Za-z0-9-]+)(?:[/\\\\]data)?")
        .matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(sourceOf(root, m.group(1))
            .orElse(VolumeRefs.UPLOAD_PREFIX + m.group(1))));
  }

  /** The metadata key under which an upload the server fetched keeps the URL it came from. */
  static final String SOURCE_URL = "source_url";

  /** The URL an upload was fetched from, while its record lasts. */
  private static java.util.Optional<String> sourceOf(Path root, String id) {
    if (!ID.matcher(id).matches()) {
      return java.util.Optional.empty();
    }
    try {
      Info info = HttpJson.MAPPER.readValue(Files.readString(root.resolve(id).resolve("info.json")), Info.class);
      return java.util.Optional.ofNullable(info.metadata().get(SOURCE_URL));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** The file of a finished upload, to be a job's input. */
  Path finishedFile(String id) {
    State s = find(id);
    if (!s.finished()) {
      throw new Refused(Refusal.UPLOAD_UNFINISHED, "upload " + id + " is unfinished: " + s.offset() + " of "
          + s.info().length() + " bytes received; finish it (PATCH) before using it as an input");
    }
    return root.resolve(s.info().id()).resolve("data");
  }

  /**
   * Appends {@code body} at {@code offset}, streamed to disk, and returns the new offset. Whatever
   * arrived before the body broke off is kept and counted; bytes past the declared length are refused.
   */
  long append(String id, long offset, InputStream body, long declared, Duration wait) throws InterruptedException {
    ReentrantLock lock = lockOf(dirOf(id).getFileName().toString());
    if (!lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new Refused(Refusal.CONFLICT, "upload " + id + " is being written by another request; try again later");
    }
    try {
      State s = find(id);
      if (s.offset() != offset) {
        throw new Refused(Refusal.OFFSET_MISMATCH, "Upload-Offset is " + offset + " but upload " + id + " holds "
            + s.offset() + " bytes; resume from " + s.offset() + " (HEAD tells)");
      }
      long room = s.info().length() - offset;
      if (declared > room) {
        throw new Refused(Refusal.TOO_LARGE, "the chunk (" + declared + " bytes) passes the upload's length: "
            + room + " bytes remain of " + s.info().length());
      }
      return write(dirOf(id), offset, room, body);
    } finally {
      lock.unlock();
    }
  }

  private long write(Path dir, long offset, long room, InputStream body) {
    long at = offset;
    long unsynced = 0;
    try (FileChannel ch = FileChannel.open(dir.resolve("data"), StandardOpenOption.WRITE)) {
      ch.truncate(offset); // a tail written but never recorded (a crash before its sync) is not trusted
      ch.position(offset);
      byte[] buf = new byte[BUFFER];
      try {
        int r;
        while ((r = body.read(buf)) >= 0) {
          if (at + r - offset > room) {
            throw new Refused(Refusal.TOO_LARGE, "the chunk passes the upload's length: " + room + " bytes remained");
          }
          ByteBuffer b = ByteBuffer.wrap(buf, 0, r);
          while (b.hasRemaining()) {
            ch.write(b);
          }
          at += r;
          unsynced += r;
          if (unsynced >= SYNC_EVERY) {
            ch.force(false);
            recordOffset(dir, at);
            unsynced = 0;
          }
        }
      } catch (IOException e) {
        // The client went away: keep what arrived, so that it resumes from there.
        sync(ch, dir, at);
        throw new SpoolException(ErrorCode.IO_ERROR, "the chunk was cut off after " + (at - offset) + " bytes: "
            + e.getMessage(), List.of(), e);
      } catch (RuntimeException e) {
        sync(ch, dir, at);
        throw e;
      }
      sync(ch, dir, at);
      return at;
    } catch (IOException e) {
      throw io("cannot write upload " + dir.getFileName(), e);
    }
  }

  private static void sync(FileChannel ch, Path dir, long at) throws IOException {
    ch.force(false);
    recordOffset(dir, at);
  }

  /** Terminates an upload: its bytes and records are removed. */
  void delete(String id) throws InterruptedException {
    find(id);
    ReentrantLock lock = lockOf(id);
    if (!lock.tryLock(10, TimeUnit.SECONDS)) {
      throw new Refused(Refusal.CONFLICT, "upload " + id + " is being written by another request; try again later");
    }
    try {
      FileTrees.delete(dirOf(id));
    } catch (IOException e) {
      throw io("cannot remove upload " + id, e);
    } finally {
      lock.unlock();
    }
  }

  /** Removes unfinished uploads past their expiry (and folders a crash left half made); returns how many. */
  int sweep() {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int removed = 0;
    Instant now = clock.instant();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.toList()) {
        String id = dir.getFileName().toString();
        ReentrantLock lock = lockOf(id);
        if (!ID.matcher(id).matches() || !lock.tryLock()) {
          continue;
        }
        try {
          if (expired(dir, now)) {
            FileTrees.delete(dir);
            removed++;
          }
        } catch (IOException e) {
          LOG.warn("expired upload {} not removed: {}", id, e.getMessage());
        } finally {
          lock.unlock();
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // Logged, not thrown: a scheduled sweep that throws is never run again.
      LOG.warn("uploads under {} not swept: {}", root, e.getMessage());
    }
    return removed;
  }

  private boolean expired(Path dir, Instant now) throws IOException {
    try {
      State s = state(dir);
      if (s.finished()) {
        // Kept as long after its last byte as an unfinished one after its last write: time for a job to take it.
        return !now.isBefore(Files.getLastModifiedTime(dir.resolve("data")).toInstant().plus(expiry));
      }
      return !now.isBefore(s.expiresAt());
    } catch (NoSuchFileException | com.fasterxml.jackson.core.JacksonException | NumberFormatException e) {
      Instant made = Files.getLastModifiedTime(dir).toInstant();
      return !now.isBefore(made.plus(expiry));
    }
  }

  private State state(Path dir) throws IOException {
    Info info = HttpJson.MAPPER.readValue(Files.readString(dir.resolve("info.json")), Info.class);
    Path offsetFile = dir.resolve("offset");
    long offset = Long.parseLong(Files.readString(offsetFile).strip());
    boolean finished = offset == info.length();
    return new State(info, offset, finished ? null : Files.getLastModifiedTime(offsetFile).toInstant().plus(expiry));
  }

  /** Records the offset durably: written aside, synced, then renamed over the old record. */
  private static void recordOffset(Path dir, long offset) throws IOException {
    Path tmp = dir.resolve("offset.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(Long.toString(offset).getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(tmp, dir.resolve("offset"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private Path dirOf(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw notFound(id, null);
    }
    return root.resolve(id);
  }

  private ReentrantLock lockOf(String id) {
    return locks[Math.floorMod(id.hashCode(), STRIPES)];
  }

  private static Refused notFound(String id, String why) {
    return new Refused(Refusal.UPLOAD_NOT_FOUND, "no upload with id " + id + (why == null ? "" : ": " + why));
  }

  private static SpoolException io(String what, IOException e) {
    return new SpoolException(ErrorCode.IO_ERROR, what + ": " + e.getMessage(), List.of(), e);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
