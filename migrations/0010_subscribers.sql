-- Email subscriptions (lib/newsletter/): readers who follow the blog by email, and every newsletter mail sent.

-- One row per address. `confirmed_at` is null until the double opt-in link is opened; an address that never
-- confirms is forgotten after a week (the cron deletes it). `user_id` links a signed-in reader's one-click
-- subscription to their account. Only a SHA-256 of the mailed confirmation token is kept. Unsubscribe links need
-- no column: they are signed (lib/mail/unsubscribe.ts), as the comment notifications' are.
CREATE TABLE subscribers (
  id                     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email                  text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  user_id                integer REFERENCES users (id) ON DELETE SET NULL,
  -- Tags the subscriber follows; empty means every post.
  tags                   text[] NOT NULL DEFAULT '{}',
  confirm_token_hash     text UNIQUE,
  created_at             timestamptz NOT NULL DEFAULT now(),
  confirmed_at           timestamptz
);
CREATE UNIQUE INDEX subscribers_email_idx ON subscribers (lower(email));
-- The fan-out walks confirmed subscribers in id order (keyset), the cron finds the stale pending ones.
CREATE INDEX subscribers_confirmed_idx ON subscribers (id) WHERE confirmed_at IS NOT NULL;
CREATE INDEX subscribers_pending_idx ON subscribers (created_at) WHERE confirmed_at IS NULL;

-- A post's newsletter: one row per post, made when it is first published (a re-publish finds it and sends nothing
-- new). `email_subscribers = false` on posts is the author's choice not to mail a post.
ALTER TABLE posts ADD COLUMN email_subscribers boolean NOT NULL DEFAULT true;

CREATE TABLE newsletter_sends (
  post_id     integer PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'skipped')),
  recipients  integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

-- Exactly once per subscriber per post: a delivery is claimed by inserting its row (ON CONFLICT DO NOTHING
-- RETURNING) in the same statement that selects whom to mail, so a retried or redelivered batch, a second
-- consumer or a re-publish finds the row and mails no one twice. `status` records what the send did.
CREATE TABLE newsletter_deliveries (
  post_id       integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  subscriber_id integer NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  status        text NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'sent', 'failed')),
  claimed_at    timestamptz NOT NULL DEFAULT now(),
  sent_at       timestamptz,
  error         text,
  PRIMARY KEY (post_id, subscriber_id)
);
CREATE INDEX newsletter_deliveries_status_idx ON newsletter_deliveries (post_id, status);
