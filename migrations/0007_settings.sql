-- Site settings, edited in /admin/settings and PATCH /api/settings: one row holding one JSON document of only the
-- fields an admin has set. The wrangler vars and the zod schema (lib/settings/schema.ts) supply every default, so
-- a new setting needs no migration, and a PATCH merges its fields into the document in one statement: nothing is
-- half-saved, and two admins changing different fields at once both land.
CREATE TABLE site_settings (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  settings   jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(settings) = 'object'),
  updated_at timestamptz NOT NULL DEFAULT now()
);
