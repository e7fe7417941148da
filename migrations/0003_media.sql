-- Images uploaded to the R2 bucket, and which posts show them. Keys are content addresses (SHA-256 of the bytes
-- plus the extension of the detected type), so the same image uploaded twice is one object.
CREATE TABLE media (
  key              text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}\.(jpg|png|webp|gif)$'),
  content_type     text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/gif')),
  byte_size        integer NOT NULL CHECK (byte_size > 0),
  uploaded_by      integer REFERENCES users (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  -- Bumped by every upload of the same bytes: the orphan sweep spares images uploaded recently, which an editor
  -- may be about to reference in a post not yet saved.
  last_uploaded_at timestamptz NOT NULL DEFAULT now()
);

-- Maintained on every post save from the /media/ links in its markdown. An image is deleted only when no post
-- (and no avatar) refers to it any more, so deleting one post never removes an image another post still shows.
CREATE TABLE post_media (
  post_id   integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  media_key text NOT NULL REFERENCES media (key) ON DELETE CASCADE,
  PRIMARY KEY (post_id, media_key)
);
CREATE INDEX post_media_key_idx ON post_media (media_key);
