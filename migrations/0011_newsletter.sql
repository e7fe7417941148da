-- The newsletter fan-out's plan (lib/newsletter/): the send job cuts a post's audience (confirmed subscribers, in id
-- order) into ranges of a few dozen, one queue message each, so every consumer invocation stays far inside the
-- Worker's subrequest limit. A range is finished when its message has claimed and mailed everyone in it, or gave up
-- in the dead-letter queue; the send is 'sent' when no range of it is left open.
CREATE TABLE newsletter_batches (
  post_id     integer NOT NULL REFERENCES newsletter_sends (post_id) ON DELETE CASCADE,
  -- The range is (after_id, until_id] of subscriber ids.
  after_id    integer NOT NULL,
  until_id    integer NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (post_id, after_id)
);
CREATE INDEX newsletter_batches_open_idx ON newsletter_batches (post_id) WHERE finished_at IS NULL;

-- Posts published before newsletters existed were never mailed, and a re-publish must not mail them now: their
-- send is recorded as skipped.
INSERT INTO newsletter_sends (post_id, status, finished_at)
SELECT id, 'skipped', now() FROM posts WHERE status = 'published'
ON CONFLICT (post_id) DO NOTHING;

-- The cron looks for claims a dead consumer left behind (lib/newsletter/fanout.ts sweepNewsletters).
CREATE INDEX newsletter_deliveries_claimed_idx ON newsletter_deliveries (claimed_at) WHERE status = 'claimed';
