package io.spool.engine;

import io.spool.engine.internal.store.AbandonedBatches;
import io.spool.engine.internal.store.BatchEnds;
import io.spool.engine.internal.store.BatchRows;
import io.spool.engine.internal.store.CancelRows;
import io.spool.engine.internal.store.Database;
import io.spool.engine.internal.store.JobRows;
import io.spool.engine.internal.store.RecordReader;
import io.spool.engine.internal.store.WorkerRows;
import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Spool's job, batch and attempt records, in a database: SQLite in the Spool home
 * ({@code spool.db}) by default, shared by the processes of one host, or the PostgreSQL database
 * that {@code SPOOL_DATABASE_URL} names, shared by a cluster. Every change is one transaction, and
 * {@link #update} a read-modify-write that two processes can run on one record at once without
 * losing either change. A record damaged all the same (by hand, by a disk) is skipped by every
 * list, with a warning; reading it alone fails with {@link ErrorCode#RECORD_DAMAGED}, naming it.
 *
 * <p>Opening a store connects to nothing: the first read or write does, brings the schema up to
 * date and imports the record files that Spool kept before it had a database.
 */
public final class JobStore implements AutoCloseable {
  /** The most jobs one {@link #endedSince} call returns; call again with the cursor it gave. */
  public static final int MAX_ENDED_PER_CALL = 1000;
  /** The most jobs one {@link #jobs(JobQuery)} page holds. */
  public static final int MAX_PAGE = SpoolEngine.MAX_BATCH_JOBS;

  /**
   * Jobs of a batch that ended after a cursor, in the order they ended, and the cursor to pass
   * next time to get those that end later.
   */
  public record Ended(List<JobRecord> jobs, long cursor) {
    public Ended {
      jobs = List.copyOf(jobs);
    }
  }

  /**
   * A page of jobs, newest first: at most {@code limit}, only those in {@code state} and of
   * {@code batchId} where given, from where the page before left off ({@code cursor}: its
   * {@link Page#nextCursor}; null for the first page).
   */
  public record JobQuery(JobState state, String batchId, int limit, String cursor) {
    public JobQuery {
      if (limit < 1 || limit > MAX_PAGE) {
        throw new BadArgumentException("limit must be between 1 and " + MAX_PAGE + ", not " + limit);
      }
      if (batchId != null) {
        checkId(batchId);
      }
      if (cursor != null && JobRows.Cursor.parse(cursor) == null) {
        throw new BadArgumentException("not a cursor that a page of jobs gave: '" + cursor + "'");
      }
    }
  }

  /** Jobs of one page, and the cursor of the next page (null after the last). */
  public record Page(List<JobRecord> jobs, String nextCursor) {
    public Page {
      jobs = List.copyOf(jobs);
    }
  }

  private final Database db;
  private final RecordReader reader;
  private final List<Consumer<JobRecord>> listeners = new CopyOnWriteArrayList<>();

  private JobStore(Path home, String jdbcUrl) {
    this.db = Database.open(home, jdbcUrl);
    this.reader = new RecordReader(db.where(), message -> org.slf4j.LoggerFactory.getLogger(JobStore.class).warn(message));
    db.onNotice(reader::notice);
  }

  /** The records of {@code home}: in PostgreSQL where {@code SPOOL_DATABASE_URL} is set, else in {@code home/spool.db}. */
  public static JobStore at(Path home) {
    return open(home, System.getenv("SPOOL_DATABASE_URL"));
  }

  /**
   * The records in the database at {@code jdbcUrlOrNull} ({@code jdbc:postgresql://...}, with
   * {@code user} and {@code password} parameters where needed), or where it is null, in
   * {@code home/spool.db}. Old record files in {@code home} are imported into it.
   */
  public static JobStore open(Path home, String jdbcUrlOrNull) {
    return new JobStore(home.toAbsolutePath(), jdbcUrlOrNull);
  }

  /** The database, as messages name it: the SQLite file, or the PostgreSQL URL without secrets. */
  public String where() {
    return db.where();
  }

  /**
   * Called in this process after each commit, for every job it changed. Only a hint for whoever
   * waits here: changes made by other processes are not seen this way (see {@link #endedSince}).
   */
  public void addListener(Consumer<JobRecord> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<JobRecord> listener) {
    listeners.remove(listener);
  }

  /**
   * Where the warnings go that lists give when they skip a damaged record, and the notices of
   * old record files that could not be imported: one line naming the record, once per record. By
   * default they are logged.
   */
  public void onSkippedRecord(Consumer<String> warn) {
    reader.onSkipped(warn);
  }

  public void put(JobRecord r) {
    checkId(r.id());
    db.write(c -> {
      JobRows.write(c, List.of(new JobRows.Change(r, JobRows.current(c, db.forUpdate(), r.id()))));
      return null;
    });
    notifyListeners(List.of(r));
  }

  /**
   * Applies a change to a job record in one transaction that holds the record meanwhile, so that
   * a change made at the same time by another thread or process is applied before or after this
   * one, never lost. {@code change} may run more than once (on PostgreSQL, after a deadlock), so
   * it must do nothing but compute the new record. Returns the record as it is now.
   */
  public JobRecord update(String id, UnaryOperator<JobRecord> change) {
    checkId(id);
    List<JobRecord> changed = new ArrayList<>(1);
    JobRecord now = db.write(c -> {
      changed.clear();
      JobRows.Current before = JobRows.current(c, db.forUpdate(), id);
      JobRecord was = existing(id, before);
      JobRecord next = checked(id, change.apply(was));
      if (next.equals(was)) {
        return was;
      }
      JobRows.write(c, List.of(new JobRows.Change(next, before)));
      changed.add(next);
      return next;
    });
    notifyListeners(changed);
    return now;
  }

  /**
   * Applies several job changes in one transaction (each as {@link #update} does), in the
   * order of the map; all are made or, where one fails, none. A damaged record is left as it is,
   * with a warning (as lists skip it), so that it cannot hold up the changes of the others.
   */
  public void updateEach(Map<String, UnaryOperator<JobRecord>> changes) {
    changes.keySet().forEach(JobStore::checkId);
    List<JobRecord> changed = new ArrayList<>(changes.size());
    db.write(c -> {
      changed.clear();
      // Rows are locked in the order of their ids, so that two such transactions never wait on each other.
      Map<String, JobRows.Current> before = new HashMap<>();
      for (String id : new TreeSet<>(changes.keySet())) {
        before.put(id, JobRows.current(c, db.forUpdate(), id));
      }
      List<JobRows.Change> writes = new ArrayList<>();
      for (Map.Entry<String, UnaryOperator<JobRecord>> e : changes.entrySet()) {
        JobRows.Current b = before.get(e.getKey());
        if (b == null) {
          throw new BadArgumentException("no job with id " + e.getKey());
        }
        Optional<JobRecord> read = reader.orSkip("job " + e.getKey(), () -> readJob(e.getKey(), b.json()));
        if (read.isEmpty()) {
          continue;
        }
        JobRecord was = read.get();
        JobRecord next = checked(e.getKey(), e.getValue().apply(was));
        if (!next.equals(was)) {
          writes.add(new JobRows.Change(next, b));
          changed.add(next);
        }
      }
      JobRows.write(c, writes);
      return null;
    });
    notifyListeners(changed);
  }

  /** The record of the row read before a change; a bad-argument error where there is none. */
  private JobRecord existing(String id, JobRows.Current before) {
    if (before == null) {
      throw new BadArgumentException("no job with id " + id);
    }
    return readJob(id, before.json());
  }

  private static JobRecord checked(String id, JobRecord next) {
    if (!id.equals(next.id())) {
      throw new IllegalArgumentException("a change of job " + id + " made it job " + next.id());
    }
    return next;
  }

  /** A new batch and its jobs, for {@link #submitAll}. */
  public record NewBatch(BatchRecord batch, List<JobRecord> jobs) {}

  /**
   * Writes a new batch and all its jobs in one transaction. Its record's job ids are not kept as
   * given: reading the batch lists its jobs by index.
   */
  public void submit(BatchRecord batch, List<JobRecord> jobs) {
    submitAll(List.of(new NewBatch(batch, jobs)));
  }

  /** Writes new batches and all their jobs, as {@link #submit} does, in one transaction. */
  public void submitAll(List<NewBatch> batches) {
    List<JobRows.Change> inserts = new ArrayList<>();
    for (NewBatch nb : batches) {
      checkId(nb.batch().id());
      for (JobRecord j : nb.jobs()) {
        checkId(j.id());
        if (!nb.batch().id().equals(j.batchId())) {
          throw new BadArgumentException("job " + j.id() + " of batch " + j.batchId() + " submitted with batch " + nb.batch().id());
        }
        inserts.add(new JobRows.Change(j, null));
      }
    }
    db.write(c -> {
      for (NewBatch nb : batches) {
        BatchRows.put(c, nb.batch());
      }
      JobRows.write(c, inserts);
      return null;
    });
    for (NewBatch nb : batches) {
      notifyListeners(nb.jobs());
    }
  }

  /**
   * The job's record, if there is one.
   *
   * @throws SpoolException {@link ErrorCode#RECORD_DAMAGED} naming the record if it is damaged
   */
  public Optional<JobRecord> job(String id) {
    checkId(id);
    String json = db.read(c -> JobRows.json(c, id));
    return json == null ? Optional.empty() : Optional.of(readJob(id, json));
  }

  /** The job's record; a bad-argument error naming the id when there is none. */
  public JobRecord requireJob(String id) {
    return job(id).orElseThrow(() -> new BadArgumentException("no job with id " + id));
  }

  /** Jobs newest first, optionally only in one state; damaged records are skipped with a warning. */
  public List<JobRecord> jobs(JobState state) {
    return readJobs(db.read(c -> JobRows.all(c, state)));
  }

  /** One page of jobs, newest first, read with an index: a page costs the same however many jobs there are. */
  public Page jobs(JobQuery q) {
    JobRows.Cursor after = q.cursor() == null ? null : JobRows.Cursor.parse(q.cursor());
    List<JobRows.Row> rows = db.read(c -> JobRows.page(c, q.state(), q.batchId(),
        after == null ? null : after.key(), after == null ? null : after.id(), q.limit() + 1));
    boolean more = rows.size() > q.limit();
    List<JobRows.Row> shown = more ? rows.subList(0, q.limit()) : rows;
    return new Page(readJobs(shown), more ? shown.get(shown.size() - 1).cursor() : null);
  }

  /** The jobs of a batch with {@code fromIndex <= index < toIndex}, by index. */
  public List<JobRecord> jobsOfBatch(String batchId, int fromIndex, int toIndex) {
    checkId(batchId);
    return readJobs(db.read(c -> JobRows.ofBatch(c, batchId, fromIndex, toIndex)));
  }

  /**
   * The jobs of a batch that ended (reached a terminal state) after {@code cursor}, in the order
   * they ended, at most {@link #MAX_ENDED_PER_CALL}; start with 0. Each job that ends is given
   * its batch's next number in the transaction that ends it, and numbers become visible in
   * order, so a process that follows a batch this way misses none, whichever process ended them.
   */
  public Ended endedSince(String batchId, long cursor) {
    return endedSince(Map.of(batchId, cursor)).getOrDefault(batchId, new Ended(List.of(), cursor));
  }

  /**
   * {@link #endedSince(String, long)} for several batches at once, read together: each batch's
   * jobs that ended after its cursor, by batch id (a batch with none left out).
   */
  public Map<String, Ended> endedSince(Map<String, Long> cursors) {
    cursors.keySet().forEach(JobStore::checkId);
    Map<String, List<JobRows.Row>> rows = db.read(c -> {
      Map<String, List<JobRows.Row>> out = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, Long> e : cursors.entrySet()) {
        List<JobRows.Row> r = JobRows.endedSince(c, e.getKey(), e.getValue(), MAX_ENDED_PER_CALL);
        if (!r.isEmpty()) {
          out.put(e.getKey(), r);
        }
      }
      return out;
    });
    Map<String, Ended> ended = new java.util.LinkedHashMap<>();
    rows.forEach((batchId, r) -> ended.put(batchId, new Ended(readJobs(r), r.get(r.size() - 1).key())));
    return ended;
  }

  /** How many of the batch's jobs are in each state (states without jobs are left out). */
  public Map<JobState, Integer> tally(String batchId) {
    checkId(batchId);
    return db.read(c -> JobRows.tally(c, batchId));
  }

  /** How many of all the store's jobs are in each state (states without jobs are left out). */
  public Map<JobState, Integer> tally() {
    return db.read(c -> JobRows.tally(c, null));
  }

  /** The job's attempts with the workers that ran them, oldest first (times to the millisecond). */
  public List<AttemptRecord> attempts(String jobId) {
    checkId(jobId);
    return db.read(c -> JobRows.attempts(c, jobId));
  }

  public void putBatch(BatchRecord b) {
    checkId(b.id());
    db.write(c -> {
      BatchRows.put(c, b);
      return null;
    });
  }

  /**
   * The batch's record, its job ids read from its jobs, if there is one.
   *
   * @throws SpoolException {@link ErrorCode#RECORD_DAMAGED} naming the record if it is damaged
   */
  public Optional<BatchRecord> batch(String id) {
    checkId(id);
    return db.read(c -> {
      BatchRows.Row row = BatchRows.one(c, id, "");
      return row == null ? Optional.empty() : Optional.of(reader.batch(row, JobRows.idsOfBatch(c, id, false)));
    });
  }

  /**
   * The batch's record without its job ids (its {@code jobIds} are empty), read without reading
   * its jobs: what a check of its state, or of who runs it, needs (followers do that every
   * second, and a batch may have 100,000 jobs).
   *
   * @throws SpoolException {@link ErrorCode#RECORD_DAMAGED} naming the record if it is damaged
   */
  public Optional<BatchRecord> batchWithoutJobIds(String id) {
    checkId(id);
    return db.read(c -> {
      BatchRows.Row row = BatchRows.one(c, id, "");
      return row == null ? Optional.empty() : Optional.of(reader.batch(row, List.of()));
    });
  }

  /** Batches newest first; damaged records are skipped with a warning. */
  public List<BatchRecord> batches() {
    return readBatches(false, true);
  }

  /** The batches that have not ended, newest first; damaged records are skipped with a warning. */
  public List<BatchRecord> unfinishedBatches() {
    return readBatches(true, true);
  }

  /** The batches that have not ended, newest first, without their job ids (see {@link #batchWithoutJobIds}). */
  public List<BatchRecord> unfinishedBatchesWithoutJobIds() {
    return readBatches(true, false);
  }

  /** Batches, with their job ids or (where only the batches themselves matter) without. */
  private List<BatchRecord> readBatches(boolean unfinishedOnly, boolean withJobIds) {
    return db.read(c -> {
      List<BatchRecord> out = new ArrayList<>();
      for (BatchRows.Row row : BatchRows.all(c, unfinishedOnly)) {
        List<String> ids = withJobIds ? JobRows.idsOfBatch(c, row.id(), false) : List.of();
        reader.orSkip("batch " + row.id(), () -> reader.batch(row, ids)).ifPresent(out::add);
      }
      return out;
    });
  }

  /**
   * Closes the records that a process which is gone left unfinished (killed with SIGKILL, or the
   * machine went down): nothing will finish those jobs, so they are recorded as cancelled, and so
   * are their batches. Only batches run by an engine inside their submitting process
   * ({@link BatchRecord#embedded}) are looked at; a shared coordinator starts its own again. A
   * live process counts as a record's coordinator only if it started before the record was made,
   * so a recycled pid keeps nothing open. Returns how many jobs were closed.
   */
  public int closeAbandoned() {
    int closed = 0;
    for (BatchRecord b : readBatches(true, false)) {
      if (AbandonedBatches.abandoned(b)) {
        List<JobRecord> jobs = AbandonedBatches.close(db, reader, b.id(), Instant.now());
        notifyListeners(jobs);
        closed += jobs.size();
      }
    }
    return closed;
  }

  /**
   * Records a batch whose workflow has run all its jobs as ended, tallied from its jobs' records:
   * failed where any job failed, else cancelled where any was, else succeeded; a job whose end
   * could not be recorded (its record is damaged) fails the batch with
   * {@link ErrorCode#RECORD_DAMAGED}. A batch that has ended already is left as it is. Returns
   * the batch's record as it is now (without its job ids), if there is one.
   */
  public Optional<BatchRecord> endBatch(String batchId) {
    checkId(batchId);
    return Optional.ofNullable(BatchEnds.end(db, reader, batchId, Instant.now()));
  }

  /**
   * Records a batch whose workflow ended before its jobs did (it failed for good, or was
   * terminated) as failed as a whole, with {@code code} and the one-line reason {@code why}, and
   * its unfinished jobs as failed with them, in one transaction. Where no job is left unfinished,
   * the batch did not fail with its workflow: it is tallied as {@link #endBatch} does. A batch
   * that has ended already is left as it is. Returns the batch's record as it is now, if there is
   * one.
   */
  public Optional<BatchRecord> failBatch(String batchId, ErrorCode code, String why) {
    checkId(batchId);
    BatchEnds.Failed f = BatchEnds.fail(db, reader, batchId, code.name(), why, Instant.now());
    if (f == null) {
      return Optional.empty();
    }
    notifyListeners(f.jobs());
    return batch(batchId);
  }

  /** Asks whatever process drives the job to cancel it (it looks about once a second). */
  public void requestCancel(String id) {
    checkId(id);
    long now = System.currentTimeMillis();
    db.write(c -> {
      CancelRows.add(c, id, now);
      return null;
    });
  }

  /** The jobs someone asked to cancel. */
  public Set<String> cancelRequests() {
    return db.read(CancelRows::all);
  }

  /** The jobs of a batch that someone asked to cancel, by id. */
  public List<String> cancelRequests(String batchId) {
    checkId(batchId);
    return db.read(c -> CancelRows.ofBatch(c, batchId));
  }

  /** Forgets a cancel request once the job has ended. */
  public void clearCancelRequest(String id) {
    checkId(id);
    db.write(c -> {
      CancelRows.remove(c, id);
      return null;
    });
  }

  /**
   * Records a media worker as it starts (over an earlier record of the same id, unless that one
   * is marked stopped: a stopped worker stays stopped), and forgets the workers not seen for
   * {@link WorkerRecord#KEPT_FOR}.
   */
  public void putWorker(WorkerRecord w) {
    checkId(w.id());
    long forgetBefore = w.lastSeen().minus(WorkerRecord.KEPT_FOR).toEpochMilli();
    db.write(c -> {
      WorkerRows.forget(c, forgetBefore);
      WorkerRows.put(c, w);
      return null;
    });
  }

  /**
   * Notes that a running worker is still there; false where the store has no running worker of
   * that id (its record was forgotten or marked stopped), which should then be put again.
   */
  public boolean workerSeen(String id, Instant at) {
    checkId(id);
    return db.write(c -> WorkerRows.seen(c, id, at.toEpochMilli()));
  }

  /** Records that the worker stopped cleanly. */
  public void workerStopped(String id, Instant at) {
    checkId(id);
    db.write(c -> {
      WorkerRows.stopped(c, id, at.toEpochMilli());
      return null;
    });
  }

  /** The workers seen at or after {@code since} (live, stopped or gone silent), the most recently seen first. */
  public List<WorkerRecord> workers(Instant since) {
    return db.read(c -> WorkerRows.since(c, since.toEpochMilli()));
  }

  /** The request keys kept in this store (HTTP's Idempotency-Key). */
  public IdempotencyKeys idempotencyKeys() {
    return new IdempotencyKeys(db);
  }

  /** The webhook deliveries of jobs kept in this store. */
  public WebhookLog webhooks() {
    return new WebhookLog(db);
  }

  /** Closes the connection; a store used after this opens it again. */
  @Override
  public void close() {
    db.close();
  }

  private static String checkId(String id) {
    if (id == null || !id.matches("[a-z0-9-]{1,80}")) {
      throw new BadArgumentException("not a job or batch id: '" + id + "'");
    }
    return id;
  }

  private JobRecord readJob(String id, String json) {
    return reader.job(id, json);
  }

  private List<JobRecord> readJobs(List<JobRows.Row> rows) {
    return reader.jobs(rows);
  }

  private void notifyListeners(List<JobRecord> changed) {
    if (changed.isEmpty() || listeners.isEmpty()) {
      return;
    }
    for (Consumer<JobRecord> l : listeners) {
      changed.forEach(l);
    }
  }
}
