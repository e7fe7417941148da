-- A writer may give a post its own excerpt. `excerpt` stays the one readers see (the writer's, or the start of the
-- body); this says which, so saving a changed body or re-rendering (db:rerender) never overwrites the writer's.
ALTER TABLE posts ADD COLUMN excerpt_custom boolean NOT NULL DEFAULT false;
