-- Static pages (About, Contact…) are posts of another type: the same editor, rendering, slugs and versions. Slugs
-- stay unique across both types, so one slug never names two things. Every listing query names `type = 'post'`.
ALTER TABLE posts ADD COLUMN type text NOT NULL DEFAULT 'post' CHECK (type IN ('post', 'page'));
CREATE INDEX posts_pages_idx ON posts (type, title) WHERE type = 'page';

-- Every save of a post or page keeps its text here, written by the save's own statement. `kind` drives the
-- coalescing policy (lib/revisions.ts): autosaves of one writer within a ten-minute window share one row, which
-- `window_started_at` dates, while `saved_at` says when its text was last written.
CREATE TABLE post_revisions (
  id                integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id           integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  author_id         integer REFERENCES users (id) ON DELETE SET NULL,
  kind              text NOT NULL CHECK (kind IN ('save', 'autosave', 'restore')),
  -- The post's version this text was saved as.
  version           integer NOT NULL,
  title             text NOT NULL,
  body_md           text NOT NULL,
  -- The writer's own excerpt; null when it followed the body.
  excerpt           text,
  window_started_at timestamptz NOT NULL DEFAULT now(),
  saved_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_revisions_post_idx ON post_revisions (post_id, id DESC);

-- Posts written before revisions existed start with one: their current text, so there is always a base to restore.
INSERT INTO post_revisions (post_id, author_id, kind, version, title, body_md, excerpt, window_started_at, saved_at)
SELECT id, author_id, 'save', version, title, body_md, CASE WHEN excerpt_custom THEN excerpt END, updated_at, updated_at
FROM posts;
