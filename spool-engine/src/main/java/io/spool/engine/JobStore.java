package io.spool.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import io.spool.media.internal.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Job and batch records as JSON files under {@code HOME/jobs} and {@code HOME/batches}, each
 * replaced atomically on every change, so a crash never leaves a half-written record. A record
 * damaged all the same (by hand, by a disk) is skipped by every list, with a warning; reading it
 * alone fails with {@link ErrorCode#RECORD_DAMAGED}, naming its file.
 */
public final class JobStore implements AutoCloseable {
  /** Jobs of a batch that ended after a cursor, in the order they ended, and the cursor to pass next. */
  public record Ended(List<JobRecord> jobs, long cursor) {}

  public void submit(BatchRecord batch, List<JobRecord> all) {
    all.forEach(this::put);
    putBatch(batch);
  }

  public List<JobRecord> jobsOfBatch(String batchId, int from, int to) {
    BatchRecord b = batch(batchId).orElseThrow();
    List<JobRecord> out = new ArrayList<>();
    for (int i = from; i < Math.min(to, b.jobIds().size()); i++) {
      job(b.jobIds().get(i)).ifPresent(out::add);
    }
    return out;
  }

  public void updateEach(Map<String, UnaryOperator<JobRecord>> changes) {
    changes.forEach(this::update);
  }

  public Ended endedSince(String batchId, long cursor) {
    List<JobRecord> done = jobsOfBatch(batchId, 0, Integer.MAX_VALUE).stream().filter(r -> r.state().terminal())
        .sorted(Comparator.comparing((JobRecord r) -> r.outcome().finishedAt()).thenComparing(JobRecord::index)).toList();
    return new Ended(done.subList((int) Math.min(cursor, done.size()), done.size()), done.size());
  }

  public Map<JobState, Integer> tally(String batchId) {
    Map<JobState, Integer> t = new java.util.EnumMap<>(JobState.class);
    jobsOfBatch(batchId, 0, Integer.MAX_VALUE).forEach(r -> t.merge(r.state(), 1, Integer::sum));
    return t;
  }

  public List<BatchRecord> unfinishedBatches() {
    return batches().stream().filter(b -> !b.state().terminal()).toList();
  }

  @Override
  public void close() {}

  private static final java.time.Duration START_SLACK = java.time.Duration.ofSeconds(5);

  private final Path jobs;
  private final Path batches;
  private final Path cancels;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final List<Consumer<JobRecord>> listeners = new CopyOnWriteArrayList<>();
  /** The record files a list has skipped and warned about, so that each is warned about once. */
  private final Set<Path> skipped = ConcurrentHashMap.newKeySet();
  private volatile Consumer<String> warnings = message -> org.slf4j.LoggerFactory.getLogger(JobStore.class).warn(message);

  private JobStore(Path home) {
    this.jobs = home.resolve("jobs");
    this.batches = home.resolve("batches");
    this.cancels = home.resolve("cancel-requests");
    try {
      Files.createDirectories(jobs);
      Files.createDirectories(batches);
      Files.createDirectories(cancels);
    } catch (IOException e) {
      throw io("create " + jobs, e);
    }
  }

  public static JobStore at(Path home) {
    return new JobStore(home.toAbsolutePath());
  }

  /** Called (in this process) after every job record change. */
  public void addListener(Consumer<JobRecord> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<JobRecord> listener) {
    listeners.remove(listener);
  }

  /**
   * Where the warnings go that lists give when they skip a damaged or unreadable record: one line
   * naming the file, once per file. By default they are logged.
   */
  public void onSkippedRecord(Consumer<String> warn) {
    this.warnings = java.util.Objects.requireNonNull(warn, "warn");
  }

  public void put(JobRecord r) {
    write(jobs.resolve(checkId(r.id()) + ".json"), r);
    listeners.forEach(l -> l.accept(r));
  }

  /** Applies a change to a job record under a per-record lock. */
  public JobRecord update(String id, UnaryOperator<JobRecord> change) {
    synchronized (locks.computeIfAbsent(id, k -> new Object())) {
      JobRecord next = change.apply(requireJob(id));
      put(next);
      return next;
    }
  }

  /**
   * The job's record, if there is one.
   *
   * @throws SpoolException {@link ErrorCode#RECORD_DAMAGED} naming the file if it is damaged
   */
  public Optional<JobRecord> job(String id) {
    return read(jobs.resolve(checkId(id) + ".json"), JobRecord.class);
  }

  /** The job's record; a bad-argument error naming the id when there is none. */
  public JobRecord requireJob(String id) {
    return job(id).orElseThrow(() -> new BadArgumentException("no job with id " + id));
  }

  /** Jobs newest first, optionally only in one state; damaged records are skipped with a warning. */
  public List<JobRecord> jobs(JobState state) {
    return readAll(jobs, JobRecord.class).stream()
        .filter(r -> state == null || r.state() == state)
        .sorted(Comparator.comparing(JobRecord::createdAt).reversed().thenComparing(JobRecord::index))
        .toList();
  }

  public void putBatch(BatchRecord b) {
    write(batches.resolve(checkId(b.id()) + ".json"), b);
  }

  public Optional<BatchRecord> batch(String id) {
    return read(batches.resolve(checkId(id) + ".json"), BatchRecord.class);
  }

  /** Batches newest first; damaged records are skipped with a warning. */
  public List<BatchRecord> batches() {
    return readAll(batches, BatchRecord.class).stream()
        .sorted(Comparator.comparing(BatchRecord::createdAt).reversed()).toList();
  }

  /**
   * Closes the records that a process which is gone left unfinished (killed with SIGKILL, or the
   * machine went down): nothing will finish those jobs, so they are recorded as cancelled, and so
   * are their batches. A live process counts as a record's coordinator only if it started before
   * the record was made, so a recycled pid keeps nothing open. Every job belongs to a batch (one
   * submitted alone is a batch of one) and a batch ends only after its jobs, so only the jobs of
   * unfinished batches are read. Returns how many jobs were closed.
   */
  public int closeAbandoned() {
    Instant now = Instant.now();
    int closed = 0;
    for (BatchRecord b : batches()) {
      if (b.state().terminal() || !b.embedded() || coordinatorAlive(b.coordinatorPid(), b.createdAt())) {
        continue;
      }
      String why = "abandoned: its spool process (pid " + b.coordinatorPid() + ") ended without finishing it";
      for (String id : b.jobIds()) {
        Optional<JobRecord> r = readOrSkip(jobs.resolve(checkId(id) + ".json"), JobRecord.class);
        if (r.isPresent() && !r.get().state().terminal()) {
          update(id, x -> x.state().terminal() ? x : x.withOutcome(x.interrupted(now, why)));
          closed++;
        }
      }
      putBatch(b.interrupted(now));
    }
    return closed;
  }

  /**
   * Whether the process with this pid can be the one that made a record at {@code recordCreated}.
   * Linux reports a process's start only to within a second or so (boot time in whole seconds,
   * moved by clock adjustments), and a record is made well under a second after its process
   * starts, so a start up to {@link #START_SLACK} after the record still counts.
   */
  private static boolean coordinatorAlive(long pid, Instant recordCreated) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .map(h -> h.info().startInstant().map(started -> !started.isAfter(recordCreated.plus(START_SLACK))).orElse(true))
        .orElse(false);
  }

  /**
   * Asks whatever process drives the job to cancel it (seen within a second). Requests live in a
   * folder of their own, which is empty most of the time, so that a batch of many thousand jobs
   * looks for them with one small directory listing.
   */
  public void requestCancel(String id) {
    try {
      Files.writeString(cancels.resolve(checkId(id)), "cancel\n");
    } catch (IOException e) {
      throw io("request cancel of " + id, e);
    }
  }

  /** The jobs someone asked to cancel. */
  public Set<String> cancelRequests() {
    try (Stream<Path> s = Files.list(cancels)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).collect(Collectors.toSet());
    } catch (java.nio.file.NoSuchFileException e) {
      return Set.of();
    } catch (IOException e) {
      throw io("list " + cancels, e);
    }
  }

  /** Forgets a cancel request once the job has ended. */
  public void clearCancelRequest(String id) {
    try {
      Files.deleteIfExists(cancels.resolve(checkId(id)));
    } catch (IOException e) {
      throw io("remove cancel request of " + id, e);
    }
  }

  private static String checkId(String id) {
    if (id == null || !id.matches("[a-z0-9-]{1,80}")) {
      throw new BadArgumentException("not a job or batch id: '" + id + "'");
    }
    return id;
  }

  private static void write(Path file, Object value) {
    try {
      Path tmp = file.resolveSibling("." + file.getFileName() + "." + Thread.currentThread().getId() + ".tmp");
      Json.MAPPER.writeValue(tmp.toFile(), value);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw io("write " + file, e);
    }
  }

  /**
   * The record in {@code file}, if there is one.
   *
   * @throws SpoolException {@link ErrorCode#RECORD_DAMAGED} if it is not JSON, is cut short or
   *     lacks what every record has; {@link ErrorCode#IO_ERROR} if it cannot be read
   */
  private static <T> Optional<T> read(Path file, Class<T> type) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String what = (type == BatchRecord.class ? "batch" : "job") + " record " + file;
    T value;
    try {
      if (Files.size(file) == 0) {
        throw damaged(what, "the file is empty", null);
      }
      value = Json.MAPPER.readValue(file.toFile(), type);
    } catch (JsonProcessingException e) {
      throw damaged(what, e instanceof ValueInstantiationException && e.getCause() != null
          ? e.getCause().getMessage() : e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "unreadable " + what + ": " + e.getMessage(), List.of(), e);
    }
    if (value == null) {
      throw damaged(what, "it holds null, not a record", null);
    }
    return Optional.of(value);
  }

  private static SpoolException damaged(String what, String why, Throwable cause) {
    return new SpoolException(ErrorCode.RECORD_DAMAGED, "damaged " + what + ": " + why, List.of(), cause);
  }

  /** The record in {@code file}; none, with a warning, when it is damaged or cannot be read. */
  private <T> Optional<T> readOrSkip(Path file, Class<T> type) {
    try {
      return read(file, type);
    } catch (SpoolException e) {
      if (skipped.add(file)) {
        warnings.accept("skipped " + e.getMessage());
      }
      return Optional.empty();
    }
  }

  private <T> List<T> readAll(Path dir, Class<T> type) {
    List<T> all = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s.filter(p -> p.getFileName().toString().endsWith(".json")
          && !p.getFileName().toString().startsWith("."))::iterator) {
        readOrSkip(p, type).ifPresent(all::add);
      }
    } catch (IOException e) {
      throw io("list " + dir, e);
    }
    return all;
  }

  private static SpoolException io(String what, IOException e) {
    return new SpoolException(ErrorCode.IO_ERROR, "cannot " + what + ": " + e.getMessage(), List.of(), e);
  }
}
