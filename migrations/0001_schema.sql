-- The whole blog schema. Identity ids are `integer` so they arrive as JS numbers over Neon's HTTP
-- protocol (int8 would arrive as strings). Case-insensitive uniqueness uses lower() indexes rather
-- than citext, which the embedded PGlite build does not ship.

CREATE TABLE users (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  username      text NOT NULL CHECK (username ~ '^[a-zA-Z0-9_-]{3,32}$'),
  display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
  role          text NOT NULL DEFAULT 'reader' CHECK (role IN ('admin', 'editor', 'author', 'reader')),
  password_hash text NOT NULL,
  bio           text NOT NULL DEFAULT '',
  avatar_url    text,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE INDEX users_role_id_idx ON users (role, id);

-- Refresh tokens: only a SHA-256 of the token is stored, so a leaked table grants no sessions.
-- `family_id` ties a chain of rotations together so reuse of a rotated token can revoke the chain.
CREATE TABLE sessions (
  token_hash    text PRIMARY KEY,
  user_id       integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id     uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  rotated_at    timestamptz,
  revoked_at    timestamptz,
  user_agent    text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_family_idx ON sessions (family_id);

CREATE TABLE posts (
  id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
  title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body_md         text NOT NULL,
  body_html       text NOT NULL,
  toc             jsonb NOT NULL DEFAULT '[]',
  excerpt         text NOT NULL DEFAULT '',
  reading_minutes integer NOT NULL DEFAULT 1,
  status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'published')),
  published_at    timestamptz,
  author_id       integer NOT NULL REFERENCES users (id),
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  search          tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', title), 'A') ||
                    setweight(to_tsvector('english', body_md), 'B')) STORED,
  CHECK (status = 'draft' OR published_at IS NOT NULL)
);
-- Keyset pagination of the public list walks this index newest first.
CREATE INDEX posts_published_idx ON posts (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX posts_author_idx ON posts (author_id, published_at DESC, id DESC);
CREATE INDEX posts_scheduled_idx ON posts (published_at) WHERE status = 'scheduled';
CREATE INDEX posts_search_idx ON posts USING gin (search);

CREATE TABLE tags (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 60),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE post_tags (
  post_id integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  tag_id  integer NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_tag_idx ON post_tags (tag_id, post_id);

CREATE TABLE comments (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id     integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  parent_id   integer REFERENCES comments (id) ON DELETE CASCADE,
  author_id   integer REFERENCES users (id) ON DELETE SET NULL,
  author_name text NOT NULL CHECK (length(author_name) BETWEEN 1 AND 80),
  body_md     text NOT NULL CHECK (length(body_md) BETWEEN 1 AND 10240),
  body_html   text NOT NULL,
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'spam', 'deleted')),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_post_idx ON comments (post_id, status, created_at, id);

CREATE TABLE reactions (
  post_id    integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  visitor_id text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('like', 'love', 'insightful')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, visitor_id, kind)
);

CREATE TABLE post_stats (
  post_id integer PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  views   bigint NOT NULL DEFAULT 0
);
