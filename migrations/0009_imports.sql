-- Moving in from Ghost and WordPress (lib/importers/). `imported_posts` remembers which post each source item
-- became, so a second run of the same export updates or skips that post instead of adding a copy, and a slug that
-- belongs to a post written here is reported as a collision instead of being overwritten.
CREATE TABLE imported_posts (
  source      text NOT NULL CHECK (source IN ('ghost', 'wordpress')),
  source_id   text NOT NULL CHECK (length(source_id) BETWEEN 1 AND 200),
  post_id     integer NOT NULL UNIQUE REFERENCES posts (id) ON DELETE CASCADE,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_id)
);

-- Old addresses of imported posts (Ghost `/slug`, WordPress `/2024/05/01/slug` and `/?p=42`), stored without the
-- trailing slash. The target is the post, not a path, so a slug renamed later still redirects to where it lives.
CREATE TABLE redirects (
  path    text PRIMARY KEY CHECK (length(path) BETWEEN 2 AND 500 AND path LIKE '/%'),
  post_id integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE
);
CREATE INDEX redirects_post_idx ON redirects (post_id);
