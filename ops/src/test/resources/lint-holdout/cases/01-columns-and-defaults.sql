-- Added and dropped columns, column defaults. PostgreSQL's ALTER TABLE notes: adding a column with a
-- non-volatile default (or none) only writes the catalog (the value is stored once, "fast default");
-- a volatile default (clock_timestamp(), random(), gen_random_uuid(), nextval() of serial or identity)
-- or a stored generated column fills every row, rewriting the table under ACCESS EXCLUSIVE. A constraint
-- declared with the new column is checked against every existing row in the same statement.

-- === hold-add-nullable-column-without-default
-- expect: safe
-- why: ADD COLUMN without a default only adds a catalog entry; existing rows read NULL without being touched.
-- case:
ALTER TABLE customers ADD COLUMN nickname text;

-- === hold-add-not-null-column-with-constant-default
-- expect: safe
-- why: A constant default is stored once in pg_attribute (attmissingval): no rewrite, and NOT NULL holds
--   because every existing row reads the default.
-- case:
ALTER TABLE orders ADD COLUMN gift_wrap boolean NOT NULL DEFAULT false;

-- === hold-add-column-default-now-is-stable
-- expect: safe
-- why: now() is STABLE, not VOLATILE: evaluated once at ALTER time and stored as the missing value, so no
--   rewrite takes place.
-- case:
ALTER TABLE customers ADD COLUMN consent_at timestamptz DEFAULT now();

-- === hold-add-column-default-clock-timestamp-rewrites
-- expect: locking
-- why: clock_timestamp() is VOLATILE: each existing row needs its own value, so the table is rewritten while
--   ACCESS EXCLUSIVE is held.
-- case:
ALTER TABLE customers ADD COLUMN touched_at timestamptz DEFAULT clock_timestamp();

-- === hold-add-column-default-gen-random-uuid-rewrites
-- expect: locking
-- why: gen_random_uuid() is VOLATILE: the 200,000 orders are rewritten under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();

-- === hold-add-column-volatile-default-on-tiny-table
-- expect: safe
-- why: random() forces a rewrite, but of a three-row table: nothing is worked through for long.
-- case:
ALTER TABLE flags ADD COLUMN rollout double precision DEFAULT random();

-- === hold-add-serial-column-rewrites
-- expect: locking
-- why: serial is a nextval() default, VOLATILE: every product gets its own number by a rewrite.
-- case:
ALTER TABLE products ADD COLUMN position serial;

-- === hold-add-identity-column-rewrites
-- expect: locking
-- why: An identity column fills existing rows from its sequence, one value per row: a table rewrite.
-- case:
ALTER TABLE customers ADD COLUMN member_no bigint GENERATED ALWAYS AS IDENTITY;

-- === hold-add-stored-generated-column-rewrites
-- expect: locking
-- why: A STORED generated column is computed and written for every existing row: a rewrite of orders.
-- case:
ALTER TABLE orders ADD COLUMN total_eur numeric GENERATED ALWAYS AS (total_cents / 100.0) STORED;

-- === hold-add-stored-generated-column-on-tiny-table
-- expect: safe
-- why: The same rewrite as for orders, on a three-row table.
-- case:
ALTER TABLE flags ADD COLUMN label text GENERATED ALWAYS AS (upper(name)) STORED;

-- === hold-add-column-with-inline-check-scans
-- expect: locking
-- why: A CHECK declared with the new column is a new constraint: ALTER TABLE verifies it against all rows
--   (a full scan) while it holds ACCESS EXCLUSIVE, even though the default is constant.
-- case:
ALTER TABLE customers ADD COLUMN points integer NOT NULL DEFAULT 0 CHECK (points >= 0);

-- === hold-add-nullable-column-with-inline-check-scans
-- expect: locking
-- why: Even with every value NULL, the new CHECK constraint is verified by scanning the table under ACCESS
--   EXCLUSIVE.
-- case:
ALTER TABLE orders ADD COLUMN discount_cents integer CHECK (discount_cents > 0);

-- === hold-add-column-with-inline-unique-builds-index
-- expect: locking
-- why: UNIQUE on the new column builds a unique index over all 100,000 rows inside ALTER TABLE's ACCESS
--   EXCLUSIVE lock.
-- case:
ALTER TABLE customers ADD COLUMN external_ref text UNIQUE;

-- === hold-add-column-with-inline-foreign-key-no-default
-- expect: safe
-- why: REFERENCES on a new column without a default: every existing value is NULL, which a foreign key
--   accepts, so PostgreSQL marks the constraint valid without checking the rows.
-- case:
ALTER TABLE orders ADD COLUMN referrer_id bigint REFERENCES customers (id);

-- === hold-add-column-with-inline-foreign-key-and-default-validates
-- expect: locking
-- why: With a non-NULL default every existing row references customer 1: the new foreign key is checked
--   over all 200,000 orders while ALTER TABLE's ACCESS EXCLUSIVE lock is held.
-- case:
ALTER TABLE orders ADD COLUMN referrer_id bigint DEFAULT 1 REFERENCES customers (id);

-- === hold-set-default-changes-what-old-inserts-get
-- expect: breaking
-- why: SET DEFAULT applies to later INSERTs that omit the column: the previous release's sign-up now gets
--   tier 'trial' instead of 'basic'.
-- case:
ALTER TABLE customers ALTER COLUMN tier SET DEFAULT 'trial';

-- === hold-set-default-on-column-old-inserts-always-give
-- expect: safe
-- why: Every INSERT of the previous release names products.title, so its new default is never used by it.
-- case:
ALTER TABLE products ALTER COLUMN title SET DEFAULT 'untitled';

-- === hold-set-default-on-returned-nullable-column
-- expect: breaking
-- why: place-order omits shipped_on and returns it: NULL before, the new default after.
-- case:
ALTER TABLE orders ALTER COLUMN shipped_on SET DEFAULT DATE '2099-01-01';

-- === hold-drop-default-of-not-null-column
-- expect: breaking
-- why: Without its default, an INSERT omitting credit_cents writes NULL into a NOT NULL column: sign-up fails.
-- case:
ALTER TABLE customers ALTER COLUMN credit_cents DROP DEFAULT;

-- === hold-drop-column-old-release-selects
-- expect: breaking
-- why: customer-by-id names note; once dropped the query fails with "column does not exist".
-- case:
ALTER TABLE customers DROP COLUMN note;

-- === hold-drop-column-old-release-never-names
-- expect: safe
-- why: created_at appears in none of the previous release's queries; DROP COLUMN only marks the attribute
--   dropped (no rewrite).
-- case:
ALTER TABLE customers DROP COLUMN created_at;

-- === hold-drop-column-read-through-a-generated-column
-- expect: breaking
-- why: price_eur is generated from price_cents; DROP COLUMN ... CASCADE drops the generated column too,
--   which product-by-sku selects.
-- case:
ALTER TABLE products DROP COLUMN price_cents CASCADE;
