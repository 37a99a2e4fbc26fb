-- expect: none
-- now() is STABLE: PostgreSQL 11+ stores it once, no rewrite
ALTER TABLE app.vals ADD COLUMN imported_at timestamptz NOT NULL DEFAULT now();
