-- Adding columns. PostgreSQL's ALTER TABLE notes: "When a column is added with ADD COLUMN and a non-volatile
-- DEFAULT is specified, the default is evaluated at the time of the statement and the result stored in the
-- table's metadata ... However, if the default is volatile (e.g., clock_timestamp()) each row will need to be
-- updated with the value calculated at the time ALTER TABLE is executed", i.e. a table rewrite under
-- ACCESS EXCLUSIVE. A NOT NULL column without a default cannot be added to a populated table at all, and with
-- a default the previous release's INSERTs fill it silently.

-- === add-nullable-column
-- expect: safe
-- why: ADD COLUMN without a default only changes the catalog; old INSERTs name their columns and leave it NULL.
-- case:
ALTER TABLE accounts ADD COLUMN nickname text;

-- === add-column-constant-default
-- expect: safe
-- why: a constant default is stored once in pg_attribute (atthasmissing); no rewrite since PostgreSQL 11.
-- case:
ALTER TABLE accounts ADD COLUMN locale text NOT NULL DEFAULT 'en';

-- === add-required-column-to-small-table
-- expect: breaking
-- why: NOT NULL without a default: the previous release's INSERTs do not name the column and now fail
--   (settings_kv is small, so the add itself passes; its validation scan reads 10 rows).
-- case:
ALTER TABLE settings_kv ADD COLUMN scope text NOT NULL DEFAULT 'global';
ALTER TABLE settings_kv ALTER COLUMN scope DROP DEFAULT;

-- === add-column-volatile-default-clock
-- expect: locking
-- why: clock_timestamp() is volatile, so every row is written with its own value: a rewrite under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE posts ADD COLUMN indexed_at timestamptz DEFAULT clock_timestamp();

-- === add-column-stable-default-now
-- expect: safe
-- why: now() is STABLE (pg_proc.provolatile 's'): evaluated once at ALTER time and stored as the missing value.
-- case:
ALTER TABLE posts ADD COLUMN imported_at timestamptz NOT NULL DEFAULT now();

-- === add-column-random-uuid
-- expect: locking
-- why: gen_random_uuid() is volatile: one value per row, so the table is rewritten.
-- case:
ALTER TABLE accounts ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();

-- === add-create-index-plain
-- expect: locking
-- why: CREATE INDEX without CONCURRENTLY takes SHARE on the table (blocks writes) while it reads every row.
-- case:
CREATE INDEX posts_created_at_idx ON posts (created_at);

-- === add-create-index-concurrently
-- expect: safe
-- why: CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which does not conflict with writes.
-- case:
CREATE INDEX CONCURRENTLY posts_created_at_idx ON posts (created_at);

-- === drop-column-read-by-old-code
-- expect: breaking
-- why: the previous release selects bio.
-- case:
ALTER TABLE accounts DROP COLUMN bio;

-- === add-column-not-null-default-then-drop-default
-- expect: breaking
-- why: the column is filled by the default, then the default is dropped: the previous release's INSERTs omit the
--   column and now violate NOT NULL. Neither statement rewrites or scans.
-- case:
ALTER TABLE accounts ADD COLUMN tier text NOT NULL DEFAULT 'basic';
ALTER TABLE accounts ALTER COLUMN tier DROP DEFAULT;

-- === add-column-then-backfill-in-one-statement
-- expect: locking
-- why: ADD COLUMN takes ACCESS EXCLUSIVE, held to the commit, while the UPDATE then writes all 100,000 rows.
-- case:
ALTER TABLE accounts ADD COLUMN handle_lower text;
UPDATE accounts SET handle_lower = lower(handle);

-- === add-column-then-small-batch-backfill
-- expect: safe
-- why: one batch of 500 rows (of a backfill done in batches): the ACCESS EXCLUSIVE of ADD COLUMN is held only
--   while those rows are written.
-- case:
ALTER TABLE accounts ADD COLUMN handle_lower text;
UPDATE accounts SET handle_lower = lower(handle) WHERE id BETWEEN 1 AND 500;

-- === add-column-stable-default-statement-timestamp
-- expect: safe
-- why: statement_timestamp() is STABLE: evaluated once, no rewrite.
-- case:
ALTER TABLE audit_events ADD COLUMN archived_at timestamptz DEFAULT statement_timestamp();

-- === add-column-default-current-date
-- expect: safe
-- why: CURRENT_DATE is stable within a statement: stored once as the missing value.
-- case:
ALTER TABLE posts ADD COLUMN day date NOT NULL DEFAULT CURRENT_DATE;

-- === add-column-default-current-setting
-- expect: safe
-- why: current_setting() is STABLE: evaluated once.
-- case:
ALTER TABLE audit_events ADD COLUMN origin text DEFAULT current_setting('application_name');

-- === add-column-constant-folded-expression
-- expect: safe
-- why: 'a' || 'b' is immutable and folded to a constant.
-- case:
ALTER TABLE posts ADD COLUMN label text NOT NULL DEFAULT 'draft' || '-' || 'v1';

-- === add-column-default-nextval
-- expect: locking
-- why: nextval() is volatile: every row gets its own number, so the table is rewritten.
-- case:
ALTER TABLE accounts ADD COLUMN invoice_no bigint DEFAULT nextval('invoice_numbers');

-- === add-column-default-random
-- expect: locking
-- why: random() is volatile: rewrite.
-- case:
ALTER TABLE posts ADD COLUMN sample double precision DEFAULT random();

-- === add-column-default-md5-of-random
-- expect: locking
-- why: an expression over a volatile function is volatile: rewrite.
-- case:
ALTER TABLE accounts ADD COLUMN token text DEFAULT md5(random()::text);

-- === add-column-default-timeofday
-- expect: locking
-- why: timeofday() is volatile (pg_proc.provolatile 'v'): rewrite.
-- case:
ALTER TABLE audit_events ADD COLUMN noted text DEFAULT timeofday();

-- === add-column-default-inlined-sql-function-declared-volatile
-- expect: safe
-- why: a LANGUAGE sql function whose body is a single SELECT of a constant is inlined ("Inlining of SQL
--   Functions") before the volatility test, so the default is the constant 'eu' despite VOLATILE: no rewrite.
-- before:
CREATE FUNCTION default_region() RETURNS text LANGUAGE sql AS $$ SELECT 'eu' $$;
-- case:
ALTER TABLE accounts ADD COLUMN region text DEFAULT default_region();

-- === add-column-default-plpgsql-function-declared-volatile
-- expect: locking
-- why: a PL/pgSQL function is never inlined; declared VOLATILE (the default), it is called per row: rewrite.
-- before:
CREATE FUNCTION default_region() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'eu'; END $$;
-- case:
ALTER TABLE accounts ADD COLUMN region text DEFAULT default_region();

-- === add-column-default-user-function-declared-immutable
-- expect: safe
-- why: the same function declared IMMUTABLE is evaluated once and stored as the missing value.
-- before:
CREATE FUNCTION default_region() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'eu' $$;
-- case:
ALTER TABLE accounts ADD COLUMN region text DEFAULT default_region();

-- === add-column-default-user-function-declared-stable
-- expect: safe
-- why: STABLE is enough for the fast default: evaluated once at ALTER time.
-- before:
CREATE FUNCTION default_region() RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'eu' $$;
-- case:
ALTER TABLE posts ADD COLUMN region text NOT NULL DEFAULT default_region();

-- === add-column-serial
-- expect: locking
-- why: serial is a nextval() default: volatile, rewrite.
-- case:
ALTER TABLE posts ADD COLUMN seq serial;

-- === add-column-identity
-- expect: locking
-- why: an identity column fills every existing row from its sequence: rewrite.
-- case:
ALTER TABLE audit_events ADD COLUMN n bigint GENERATED BY DEFAULT AS IDENTITY;

-- === add-column-stored-generated
-- expect: locking
-- why: a stored generated column is computed and written for every row: rewrite.
-- case:
ALTER TABLE accounts ADD COLUMN balance_euros numeric GENERATED ALWAYS AS (balance_cents / 100.0) STORED;

-- === add-column-with-inline-check
-- expect: locking
-- why: a CHECK declared with the new column is validated against every existing row, under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE posts ADD COLUMN rank integer CHECK (rank > 0);

-- === add-column-constant-default-with-inline-check
-- expect: locking
-- why: constant default plus a CHECK: the default is not rewritten, but the CHECK still scans every row.
-- case:
ALTER TABLE accounts ADD COLUMN credits integer NOT NULL DEFAULT 0 CHECK (credits >= 0);

-- === add-column-with-inline-unique
-- expect: locking
-- why: UNIQUE on the new column builds an index over every row while ALTER TABLE holds ACCESS EXCLUSIVE.
-- case:
ALTER TABLE accounts ADD COLUMN external_ref text UNIQUE;

-- === add-column-with-inline-foreign-key
-- expect: safe
-- why: a FOREIGN KEY declared with a new column that has no default is not validated: every value is NULL, so
--   PostgreSQL marks it valid without a scan (transformFKConstraints: "adding a column with NULL default").
-- case:
ALTER TABLE audit_events ADD COLUMN post_id bigint REFERENCES posts (id);

-- === add-column-with-inline-foreign-key-to-new-table
-- expect: safe
-- why: as above, on accounts, referencing a table created in the same migration: no scan.
-- case:
CREATE TABLE plans (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO plans VALUES (1, 'free'), (2, 'pro');
ALTER TABLE accounts ADD COLUMN plan_id integer REFERENCES plans (id);

-- === add-column-then-check-separately
-- expect: locking
-- why: the CHECK added by a second statement is validated against the whole populated table, the new column
--   being NULL everywhere does not let PostgreSQL skip the scan.
-- case:
ALTER TABLE posts ADD COLUMN rank integer;
ALTER TABLE posts ADD CONSTRAINT posts_rank_check CHECK (rank > 0);

-- === add-column-then-check-not-valid
-- expect: safe
-- why: NOT VALID skips the scan; old writes leave rank NULL, which passes the CHECK.
-- case:
ALTER TABLE posts ADD COLUMN rank integer;
ALTER TABLE posts ADD CONSTRAINT posts_rank_check CHECK (rank > 0) NOT VALID;

-- === add-column-to-small-table-volatile-default
-- expect: safe
-- why: a rewrite of settings_kv's ten rows takes no time: where it matters is the size of the table.
-- case:
ALTER TABLE settings_kv ADD COLUMN changed_at timestamptz DEFAULT clock_timestamp();
