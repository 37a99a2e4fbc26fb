-- ALTER COLUMN TYPE. The ALTER TABLE notes: "changing the type of an existing column will require the entire
-- table and its indexes to be rewritten", except "when the old type is either binary coercible to the new type
-- or an unconstrained domain over the new type, a table rewrite is not needed"; for varchar and numeric a wider
-- limit is a no-op (their length-coercion support functions); "a table rewrite is not needed" either for
-- timestamp to timestamptz when the session TimeZone is UTC. Binary coercibility is pg_cast's castmethod 'b'.
-- A rewrite holds ACCESS EXCLUSIVE; a narrower type can also make the previous release's writes fail.

-- === widen-varchar
-- expect: safe
-- why: varchar(40) to varchar(60): the length check of the wider limit always passes; no rewrite, index kept.
-- case:
ALTER TABLE accounts ALTER COLUMN handle TYPE varchar(60);

-- === varchar-to-text
-- expect: safe
-- why: varchar to text is binary coercible (pg_cast 'b'): no rewrite, index kept.
-- case:
ALTER TABLE accounts ALTER COLUMN handle TYPE text;

-- === varchar-to-unbounded-varchar
-- expect: safe
-- why: varchar(100) to varchar without a limit is binary coercible.
-- case:
ALTER TABLE accounts ALTER COLUMN display_name TYPE varchar;

-- === text-to-varchar-unbounded
-- expect: safe
-- why: text to varchar is binary coercible (pg_cast 'b').
-- case:
ALTER TABLE accounts ALTER COLUMN email TYPE varchar;

-- === narrow-varchar-rejects-old-writes
-- expect: breaking, locking
-- why: varchar(40) to varchar(20): every row is checked and rewritten, and the previous release's 31-character
--   handles no longer fit.
-- case:
ALTER TABLE accounts ALTER COLUMN handle TYPE varchar(20);

-- === narrow-varchar-display-name
-- expect: breaking, locking
-- why: varchar(100) to varchar(50): rewrite, and the previous release writes 65-character display names.
-- case:
ALTER TABLE accounts ALTER COLUMN display_name TYPE varchar(50);

-- === narrow-varchar-title
-- expect: breaking, locking
-- why: varchar(200) to varchar(100) on posts: "cannot alter type of a column used by a view", so the view is
--   dropped and created again around it; rewrite, and the previous release writes 150-character titles.
-- case:
DROP VIEW published_posts;
ALTER TABLE posts ALTER COLUMN title TYPE varchar(100);
CREATE VIEW published_posts AS
    SELECT id, account_id, slug, title, created_at FROM posts WHERE published;

-- === narrow-varchar-that-still-fits
-- expect: locking
-- why: varchar(100) to varchar(90): every value still fits, but PostgreSQL must check each, so it rewrites.
-- case:
ALTER TABLE accounts ALTER COLUMN display_name TYPE varchar(90);

-- === text-to-bounded-varchar
-- expect: locking
-- why: text to varchar(500) needs a length check per row: not a no-op, so the table is rewritten.
-- case:
ALTER TABLE accounts ALTER COLUMN bio TYPE varchar(500);

-- === text-to-bounded-varchar-audit-kind
-- expect: locking
-- why: text to varchar(10) on audit_events: rewrite; all the previous release's kinds fit.
-- case:
ALTER TABLE audit_events ALTER COLUMN kind TYPE varchar(10);

-- === text-to-bounded-varchar-on-small-table
-- expect: safe
-- why: the same rewrite on settings_kv's ten rows is instant.
-- case:
ALTER TABLE settings_kv ALTER COLUMN value TYPE varchar(50);

-- === int-to-bigint
-- expect: locking
-- why: int4 to int8 is not binary coercible (pg_cast method 'f'): rewrite under ACCESS EXCLUSIVE; the previous
--   release reads the same numbers.
-- case:
ALTER TABLE accounts ALTER COLUMN login_count TYPE bigint;

-- === int-to-bigint-posts-views
-- expect: locking
-- why: int4 to int8 on the 200,000 posts: rewrite.
-- case:
ALTER TABLE posts ALTER COLUMN views TYPE bigint;

-- === int-to-numeric
-- expect: locking
-- why: integer to numeric is a function cast: rewrite; the values print the same.
-- case:
ALTER TABLE accounts ALTER COLUMN balance_cents TYPE numeric;

-- === int-to-smallint
-- expect: breaking, locking
-- why: integer to smallint: rewrite, and the previous release's login_count of 2,147,483,000 is out of range.
-- case:
ALTER TABLE accounts ALTER COLUMN login_count TYPE smallint;

-- === numeric-more-precision
-- expect: safe
-- why: numeric(6,2) to numeric(8,2): same scale, more digits: numeric's support function makes it a no-op.
-- case:
ALTER TABLE accounts ALTER COLUMN rating TYPE numeric(8, 2);

-- === numeric-unconstrained
-- expect: safe
-- why: numeric(6,2) to numeric: dropping the limit is a no-op.
-- case:
ALTER TABLE accounts ALTER COLUMN rating TYPE numeric;

-- === numeric-less-scale
-- expect: breaking, locking
-- why: numeric(6,2) to numeric(6,1): every value is rounded (rewrite); the previous release reads 4.2 for 4.20.
-- case:
ALTER TABLE accounts ALTER COLUMN rating TYPE numeric(6, 1);

-- === numeric-less-precision
-- expect: breaking, locking
-- why: numeric(6,2) to numeric(5,2): rewrite, and the previous release writes 9999.99.
-- case:
ALTER TABLE accounts ALTER COLUMN rating TYPE numeric(5, 2);

-- === timestamp-to-timestamptz-in-utc
-- expect: breaking
-- why: with TimeZone UTC PostgreSQL skips the rewrite, but the previous release now reads '+00' offsets.
-- case:
SET TIME ZONE 'UTC';
ALTER TABLE accounts ALTER COLUMN last_seen TYPE timestamptz;

-- === timestamp-to-timestamptz-elsewhere
-- expect: breaking, locking
-- why: outside UTC each value must be converted: rewrite, and the values read back differ.
-- case:
SET TIME ZONE 'Europe/Amsterdam';
ALTER TABLE accounts ALTER COLUMN last_seen TYPE timestamptz;

-- === timestamptz-to-timestamp-in-utc
-- expect: safe
-- why: the reverse direction in UTC is also done without a rewrite, and the previous release never reads
--   audit_events.at back.
-- case:
SET TIME ZONE 'UTC';
ALTER TABLE audit_events ALTER COLUMN at TYPE timestamp;

-- === char-to-varchar
-- expect: locking
-- why: char(2) to varchar(2) goes through a function cast (trailing blanks are stripped): rewrite.
-- case:
ALTER TABLE accounts ALTER COLUMN country TYPE varchar(2);

-- === char-to-text
-- expect: locking
-- why: bpchar to text is a function cast (rtrim semantics): rewrite.
-- case:
ALTER TABLE accounts ALTER COLUMN country TYPE text;

-- === jsonb-to-json
-- expect: locking
-- why: jsonb to json is an I/O conversion: rewrite; the previous release reads the same text for these values.
-- case:
ALTER TABLE accounts ALTER COLUMN settings TYPE json;

-- === text-array-to-varchar-array
-- expect: locking
-- why: an array coercion is not treated as binary coercible by ALTER TABLE: rewrite.
-- case:
ALTER TABLE posts ALTER COLUMN tags TYPE varchar[];

-- === real-to-double
-- expect: breaking, locking
-- why: float4 to float8: rewrite, and the widened values print differently (6.6 becomes 6.599999904632568).
-- case:
ALTER TABLE posts ALTER COLUMN score TYPE double precision;

-- === enum-to-text
-- expect: breaking, locking
-- why: the enum to text I/O conversion rewrites, and the previous release's status = '…'::account_status has no
--   operator for text.
-- case:
ALTER TABLE accounts ALTER COLUMN status TYPE text;

-- === change-collation
-- expect: locking
-- why: same type, another collation: the table is not rewritten but the unique index on email is rebuilt
--   (its ordering changes) under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE accounts ALTER COLUMN email TYPE text COLLATE "C";

-- === same-type-with-using
-- expect: locking
-- why: a USING clause makes PostgreSQL evaluate the expression for every row: rewrite even to the same type.
-- case:
ALTER TABLE accounts ALTER COLUMN handle TYPE varchar(40) USING lower(handle);

-- === bigint-id-to-int-on-small-table
-- expect: safe
-- why: any type change on a ten-row table is instant.
-- case:
ALTER TABLE settings_kv ALTER COLUMN key TYPE varchar(40);
