-- The media workers that serve a shared service, as they report themselves: a row is written as
-- a worker starts, its last_seen_ms refreshed while it runs, and stopped_ms set when it stops
-- cleanly. A worker that was killed keeps its row, and its last sighting says how long ago.
CREATE TABLE workers (
  id           VARCHAR(80) PRIMARY KEY,
  host         TEXT        NOT NULL,
  pid          BIGINT      NOT NULL,
  -- the task queues it serves, comma-separated (cpu, gpu)
  queues       TEXT        NOT NULL,
  cpu          INTEGER     NOT NULL,
  -- 0: no memory limit of its own
  memory_mib   INTEGER     NOT NULL,
  -- 1 where a real test encode on this host proved NVENC works
  gpu_encode   SMALLINT    NOT NULL,
  started_ms   BIGINT      NOT NULL,
  last_seen_ms BIGINT      NOT NULL,
  stopped_ms   BIGINT
);
CREATE INDEX workers_last_seen ON workers (last_seen_ms);
