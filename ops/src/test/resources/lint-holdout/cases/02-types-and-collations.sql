-- ALTER COLUMN ... TYPE. The ALTER TABLE notes: the table and its indexes are rewritten, except when the
-- USING expression leaves the value alone and the old type is binary coercible to the new one (pg_cast
-- castmethod 'b', e.g. varchar -> text) or an unconstrained domain over it, or only a length limit is
-- relaxed (varchar(n) -> varchar(m), m > n; numeric precision up with the same scale); indexes are
-- rebuilt unless PostgreSQL can show the new index would be the same (same operator class and collation).

-- === hold-varchar-widen-unindexed
-- expect: safe
-- why: Raising a varchar limit needs no check of existing values: catalog only.
-- case:
ALTER TABLE customers ALTER COLUMN phone TYPE varchar(40);

-- === hold-varchar-widen-indexed
-- expect: safe
-- why: customers_name_idx stays valid: the operator class and collation are unchanged, so neither the table
--   nor the index is rebuilt.
-- case:
ALTER TABLE customers ALTER COLUMN name TYPE varchar(120);

-- === hold-varchar-to-text-unique-constraint
-- expect: safe
-- why: varchar to text is binary coercible and both use text_ops; products_sku_key is kept as it is, and
--   ON CONFLICT ON CONSTRAINT still finds it.
-- case:
ALTER TABLE products ALTER COLUMN sku TYPE text;

-- === hold-varchar-narrow-below-old-writes
-- expect: breaking, locking
-- why: Lowering a varchar limit applies the length coercion to every row (a rewrite with the index), and the
--   previous release's 45-character names no longer fit varchar(40).
-- case:
ALTER TABLE customers ALTER COLUMN name TYPE varchar(40);

-- === hold-text-to-bounded-varchar-rewrites
-- expect: locking
-- why: text to varchar(100) needs the length check on every value: the table and customers_email_key are
--   rewritten; every existing and old-release email fits.
-- case:
ALTER TABLE customers ALTER COLUMN email TYPE varchar(100);

-- === hold-numeric-precision-up-same-scale
-- expect: safe
-- why: numeric(5,2) to numeric(9,2) only relaxes the precision: no value changes, no rewrite.
-- case:
ALTER TABLE customers ALTER COLUMN discount TYPE numeric(9, 2);

-- === hold-numeric-drop-typmod
-- expect: safe
-- why: numeric(5,2) to unconstrained numeric is binary coercible and values keep their stored scale.
-- case:
ALTER TABLE customers ALTER COLUMN discount TYPE numeric;

-- === hold-numeric-scale-up-rewrites-and-shows
-- expect: breaking, locking
-- why: A new scale rewrites every value (10.50 becomes 10.500): a rewrite, and the previous release reads a
--   different text for the discount.
-- case:
ALTER TABLE customers ALTER COLUMN discount TYPE numeric(8, 3);

-- === hold-integer-to-bigint-rewrites
-- expect: locking
-- why: int4 to int8 is not binary coercible (different width): the 200,000 orders are rewritten.
-- case:
ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;

-- === hold-smallint-to-integer-rewrites
-- expect: locking
-- why: int2 to int4 changes the stored width: products is rewritten under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE products ALTER COLUMN weight_g TYPE integer;

-- === hold-date-to-timestamp-rewrites-and-shows
-- expect: breaking, locking
-- why: date to timestamp is a conversion function: a rewrite, and birthday now reads with a time of day.
-- case:
ALTER TABLE customers ALTER COLUMN birthday TYPE timestamp;

-- === hold-text-to-citext-rebuilds-unique-index
-- expect: locking
-- why: text to citext is binary coercible (the extension's cast is WITHOUT FUNCTION), so the heap is kept,
--   but the unique index changes operator class (citext_ops) and is rebuilt under ACCESS EXCLUSIVE.
-- before:
CREATE EXTENSION IF NOT EXISTS citext;
-- case:
ALTER TABLE customers ALTER COLUMN email TYPE citext;

-- === hold-collation-change-reorders-old-sort
-- expect: breaking
-- why: Same type, new collation: no rewrite (no index on locale), but ORDER BY locale now sorts 'EN_gb'
--   between 'de_DE' and 'nl_NL' instead of first, as "C" (byte order) did.
-- before:
UPDATE customers SET locale = 'EN_gb' WHERE id = 10;
-- case:
ALTER TABLE customers ALTER COLUMN locale TYPE text COLLATE "und-x-icu";

-- === hold-collation-change-on-indexed-column
-- expect: locking
-- why: A new collation on email makes customers_email_key a different index: it is rebuilt over 100,000 rows
--   under ACCESS EXCLUSIVE; ON CONFLICT (email) still infers it.
-- case:
ALTER TABLE customers ALTER COLUMN email TYPE text COLLATE "C";

-- === hold-using-expression-rewrites-values
-- expect: breaking, locking
-- why: A USING expression that changes the value rewrites every row; coupons read lower case afterwards.
-- case:
ALTER TABLE orders ALTER COLUMN coupon TYPE varchar(12) USING lower(coupon);

-- === hold-double-to-real-on-partitioned-table
-- expect: breaking, locking
-- why: float8 to float4 rewrites both partitions, and the sums the previous release reads lose precision.
-- case:
ALTER TABLE readings ALTER COLUMN value TYPE real;

-- === hold-varchar-widen-with-trigger
-- expect: safe
-- why: The trigger on orders does not matter: widening varchar(12) to varchar(24) is catalog only.
-- case:
ALTER TABLE orders ALTER COLUMN coupon TYPE varchar(24);

-- === hold-to-unconstrained-domain
-- expect: safe
-- why: A domain without constraints over the same type needs no check of existing values: no rewrite.
-- before:
CREATE DOMAIN phone_text AS varchar(20);
-- case:
ALTER TABLE customers ALTER COLUMN phone TYPE phone_text;

-- === hold-to-constrained-domain
-- expect: locking
-- why: A domain with a CHECK must be verified on every existing value: ALTER TABLE rewrites the table.
-- before:
CREATE DOMAIN phone_checked AS varchar(20) CHECK (VALUE LIKE '+%');
-- case:
ALTER TABLE customers ALTER COLUMN phone TYPE phone_checked;

-- === hold-timestamptz-to-text-rewrites
-- expect: locking
-- why: timestamptz to text is an I/O conversion, not binary coercible: orders and orders_placed_at_idx are
--   rewritten; the previous release never reads placed_at.
-- before:
DROP VIEW open_orders;
CREATE VIEW open_orders AS SELECT id, customer_id, total_cents FROM orders WHERE state = 'open';
-- case:
ALTER TABLE orders ALTER COLUMN placed_at TYPE text;

-- === hold-nondeterministic-collation
-- expect: breaking, locking
-- why: A case-insensitive ICU collation (deterministic = false) makes customers_email_key a different index,
--   rebuilt under ACCESS EXCLUSIVE; and PostgreSQL 17 refuses LIKE on a nondeterministic collation, which the
--   previous release's search uses.
-- before:
CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
-- case:
ALTER TABLE customers ALTER COLUMN email TYPE text COLLATE case_insensitive;
-- old:
SELECT count(*) FROM customers WHERE email LIKE 'c4%@shop.test';

-- === hold-boolean-to-text-on-tiny-table
-- expect: breaking
-- why: Three rows rewrite in no time, but the previous release's NOT enabled needs a boolean.
-- case:
ALTER TABLE flags ALTER COLUMN enabled TYPE text;

-- === hold-numeric-precision-narrowed
-- expect: breaking, locking
-- why: numeric(5,2) to numeric(4,2) checks and rewrites every value, and the previous release's 999.99
--   discount overflows the new precision.
-- case:
ALTER TABLE customers ALTER COLUMN discount TYPE numeric(4, 2);
