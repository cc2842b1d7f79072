-- Webhook deliveries of jobs' outcomes, kept until delivered (or given up) so that they survive a
-- restart of the server that sends them. One per job. `state`: WAITING until the job ends, then
-- PENDING until an attempt succeeds (DELIVERED) or the attempts run out (FAILED). `lease_ms`: until
-- when a sending process holds the delivery, so that two servers on one store do not both send it.
-- `body` is fixed at the first attempt, so every attempt sends the same payload.
CREATE TABLE webhook_deliveries (
  job_id     VARCHAR(80) PRIMARY KEY,
  url        TEXT        NOT NULL,
  state      VARCHAR(16) NOT NULL,
  attempts   INTEGER     NOT NULL DEFAULT 0,
  next_ms    BIGINT      NOT NULL DEFAULT 0,
  lease_ms   BIGINT      NOT NULL DEFAULT 0,
  body       TEXT,
  created_ms BIGINT      NOT NULL
);
CREATE INDEX webhook_deliveries_open ON webhook_deliveries (state, next_ms);

-- Every attempt of a delivery: the receiver's status (null when none came), latency, error.
CREATE TABLE webhook_attempts (
  job_id     VARCHAR(80) NOT NULL REFERENCES webhook_deliveries (job_id),
  number     INTEGER     NOT NULL,
  at_ms      BIGINT      NOT NULL,
  status     INTEGER,
  latency_ms BIGINT      NOT NULL,
  error      TEXT,
  PRIMARY KEY (job_id, number)
);
