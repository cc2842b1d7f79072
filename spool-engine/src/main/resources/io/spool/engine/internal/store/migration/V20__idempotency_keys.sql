-- The Idempotency-Key of each request that created a job or batch over HTTP, so that a retried
-- request answers with what the first one made instead of making it again. `target_id` is null
-- while the first request is still being answered; `request_hash` tells a retry of the same
-- request from another request that reuses the key.
CREATE TABLE idempotency_keys (
  request_key  VARCHAR(300) PRIMARY KEY,
  request_hash VARCHAR(64)  NOT NULL,
  target_id    VARCHAR(80),
  created_ms   BIGINT       NOT NULL
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_ms);
