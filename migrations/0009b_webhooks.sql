-- Webhooks (lib/webhooks/): endpoints admins register, one delivery per event and endpoint, every attempt logged.
-- The signing secret must be readable to sign with, so it cannot be hashed: it is stored encrypted (AES-GCM, key
-- from the Worker's secrets, lib/webhooks/secrets.ts), and a database dump alone does not reveal it.
CREATE TABLE webhooks (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url              text NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
  events           text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 10),
  secret_encrypted text NOT NULL,
  created_by       integer REFERENCES users (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- `id` is the Standard Webhooks `webhook-id`: the same on every attempt, so a receiver can drop a duplicate.
-- `body` is the exact JSON sent, so "send again" sends the same bytes (with a new timestamp and signature).
CREATE TABLE webhook_deliveries (
  id         text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
  webhook_id integer NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event      text NOT NULL,
  body       text NOT NULL,
  status     text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC, id);

CREATE TABLE webhook_attempts (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id  text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  -- Null when no answer came (refused address, timeout, connection error); `error` says which.
  status_code  integer,
  duration_ms  integer NOT NULL,
  error        text
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
