-- Spool's records, for SQLite and PostgreSQL alike. Each record is kept whole as JSON in
-- `record`; the columns beside it are what lists, pages, feeds and sweeps search by.
-- No foreign key ties a job to its batch: a job's record may be written before its batch's.

CREATE TABLE batches (
  id              VARCHAR(80) PRIMARY KEY,
  state           VARCHAR(16) NOT NULL,
  finished        SMALLINT    NOT NULL,
  created_ms      BIGINT      NOT NULL,
  coordinator     TEXT        NOT NULL,
  coordinator_pid BIGINT      NOT NULL,
  -- the last number handed to a job of this batch as it ended (see jobs.ended_seq); the
  -- transaction that raises it holds this row until it commits, so numbers commit in order
  ended_count     BIGINT      NOT NULL DEFAULT 0,
  -- without its job ids, which the jobs table holds
  record          TEXT        NOT NULL
);
CREATE INDEX batches_newest ON batches (created_ms, id);
CREATE INDEX batches_unfinished ON batches (created_ms) WHERE finished = 0;

CREATE TABLE jobs (
  id         VARCHAR(80) PRIMARY KEY,
  batch_id   VARCHAR(80),
  idx        INTEGER     NOT NULL,
  state      VARCHAR(16) NOT NULL,
  created_ms BIGINT      NOT NULL,
  -- the order of lists, newest first: created_ms and the index, in one number (see JobRows)
  list_key   BIGINT      NOT NULL,
  -- the job's place among the jobs of its batch that have ended, from 1; null while it runs
  ended_seq  BIGINT,
  record     TEXT        NOT NULL
);
CREATE INDEX jobs_newest ON jobs (list_key, id);
CREATE INDEX jobs_by_state ON jobs (state, list_key, id);
CREATE INDEX jobs_by_batch ON jobs (batch_id, idx);
CREATE INDEX jobs_by_batch_newest ON jobs (batch_id, list_key, id);
CREATE INDEX jobs_ended ON jobs (batch_id, ended_seq) WHERE ended_seq IS NOT NULL;

-- Every attempt of a job with the worker that ran it, as in its outcome's attempt log.
CREATE TABLE attempts (
  job_id     VARCHAR(80) NOT NULL REFERENCES jobs (id),
  number     INTEGER     NOT NULL,
  worker_id  TEXT,
  host       TEXT,
  pid        BIGINT,
  started_ms BIGINT,
  ended_ms   BIGINT,
  error_code VARCHAR(40),
  PRIMARY KEY (job_id, number)
);
CREATE INDEX attempts_by_worker ON attempts (worker_id);

-- Jobs someone asked to stop, until the process driving them has seen the request.
CREATE TABLE cancel_requests (
  job_id       VARCHAR(80) PRIMARY KEY,
  requested_ms BIGINT      NOT NULL
);
