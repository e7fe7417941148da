-- The admin's moderation queue walks every post's comments newest first (keyset on created_at, id); the thread
-- indexes are per post, so without this the queue would sort the whole table on every page.
CREATE INDEX comments_recent_idx ON comments (created_at DESC, id DESC);
