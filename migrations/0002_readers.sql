-- Readers talk back: browser sign-in sessions, comments with moderation, reactions by signed-in readers, views.
-- The comments and reactions tables of 0001 were placeholders no code ever wrote to; they are reshaped here.

-- A browser session (HttpOnly cookie) lives in the same table as API refresh tokens, but is never rotated: `kind`
-- keeps a cookie token from being traded at /api/auth/refresh and a refresh token from working as a cookie.
ALTER TABLE sessions ADD COLUMN kind text NOT NULL DEFAULT 'refresh' CHECK (kind IN ('refresh', 'cookie'));

-- Comments: `published` until an editor hides them; `deleted` keeps a placeholder row so replies keep their parent.
ALTER TABLE comments DROP CONSTRAINT comments_status_check;
UPDATE comments SET status = 'published' WHERE status = 'approved';
UPDATE comments SET status = 'hidden' WHERE status IN ('pending', 'spam');
ALTER TABLE comments ALTER COLUMN status SET DEFAULT 'published';
ALTER TABLE comments ADD CONSTRAINT comments_status_check CHECK (status IN ('published', 'hidden', 'deleted'));
ALTER TABLE comments ADD COLUMN updated_at timestamptz;
-- Keyset pages walk a post's top-level comments oldest first; replies are fetched by parent.
DROP INDEX comments_post_idx;
CREATE INDEX comments_thread_idx ON comments (post_id, created_at, id) WHERE parent_id IS NULL;
CREATE INDEX comments_parent_idx ON comments (parent_id, created_at, id) WHERE parent_id IS NOT NULL;
-- The duplicate and pace checks look at one author's latest comments.
CREATE INDEX comments_author_idx ON comments (author_id, created_at DESC);

-- Reactions belong to signed-in readers (one of each kind per reader per post), so they go when the reader goes.
DROP TABLE reactions;
CREATE TABLE reactions (
  post_id    integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind       text NOT NULL CHECK (kind IN ('like', 'insightful', 'celebrate')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, user_id, kind)
);
CREATE INDEX reactions_post_kind_idx ON reactions (post_id, kind);
