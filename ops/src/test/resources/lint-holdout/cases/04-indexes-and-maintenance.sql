-- Indexes and table maintenance. CREATE INDEX takes SHARE (writes wait for the whole build); CONCURRENTLY
-- takes SHARE UPDATE EXCLUSIVE and cannot run in a transaction (Flyway runs such a file statement by
-- statement). ON CONFLICT (cols) infers a non-partial, non-deferrable unique index on exactly those
-- columns. REINDEX holds SHARE on the table; CLUSTER, VACUUM FULL and SET UNLOGGED rewrite it under ACCESS
-- EXCLUSIVE. ALTER INDEX RENAME on a constraint's index renames the constraint too.

-- === hold-create-index-blocks-writes
-- expect: locking
-- why: A plain CREATE INDEX holds SHARE, which conflicts with the previous release's INSERT and UPDATE, while
--   it reads 200,000 orders.
-- case:
CREATE INDEX orders_state_idx ON orders (state);

-- === hold-create-index-concurrently
-- expect: safe
-- why: CONCURRENTLY builds under SHARE UPDATE EXCLUSIVE: writes go on during the build.
-- case:
CREATE INDEX CONCURRENTLY orders_state_idx ON orders (state);

-- === hold-create-expression-index-concurrently
-- expect: safe
-- why: Same as any CONCURRENTLY build; the expression is immutable.
-- case:
CREATE INDEX CONCURRENTLY customers_email_lower_idx ON customers (lower(email));

-- === hold-create-unique-index-concurrently-compatible
-- expect: safe
-- why: Every seeded and previous-release phone is distinct (NULLs are distinct), built without blocking writes.
-- case:
CREATE UNIQUE INDEX CONCURRENTLY customers_phone_idx ON customers (phone);

-- === hold-create-unique-index-concurrently-old-writes-collide
-- expect: breaking
-- why: A unique index applies to new rows: customer 42 already used coupon SPRING, and the previous
--   release's place-order uses it again.
-- case:
CREATE UNIQUE INDEX CONCURRENTLY orders_one_coupon_per_customer ON orders (customer_id, coupon);

-- === hold-create-index-on-partitioned-parent
-- expect: locking
-- why: CREATE INDEX on a partitioned table builds an index on every partition, each under SHARE.
-- case:
CREATE INDEX readings_value_idx ON readings (value);

-- === hold-partitioned-index-built-partition-by-partition
-- expect: safe
-- why: ON ONLY creates an invalid parent index without building; each partition's index is built
--   concurrently and attached, which makes the parent valid without a blocking build.
-- case:
CREATE INDEX readings_value_idx ON ONLY readings (value);
CREATE INDEX CONCURRENTLY readings_2024_value_idx ON readings_2024 (value);
CREATE INDEX CONCURRENTLY readings_2025_value_idx ON readings_2025 (value);
ALTER INDEX readings_value_idx ATTACH PARTITION readings_2024_value_idx;
ALTER INDEX readings_value_idx ATTACH PARTITION readings_2025_value_idx;

-- === hold-drop-index-nobody-needs
-- expect: safe
-- why: DROP INDEX takes ACCESS EXCLUSIVE only for a catalog change; no query of the previous release needs
--   orders_placed_at_idx to answer.
-- case:
DROP INDEX orders_placed_at_idx;

-- === hold-drop-unique-index-inferred-by-upsert
-- expect: breaking
-- why: ON CONFLICT (email) needs a unique index on email to infer; without it the upsert errors.
-- before:
ALTER TABLE customers DROP CONSTRAINT customers_email_key;
CREATE UNIQUE INDEX customers_email_idx ON customers (email);
-- case:
DROP INDEX customers_email_idx;

-- === hold-drop-unique-index-concurrently-inferred-by-upsert
-- expect: breaking
-- why: CONCURRENTLY spares the lock, not the upsert: ON CONFLICT (email) has no arbiter afterwards.
-- before:
ALTER TABLE customers DROP CONSTRAINT customers_email_key;
CREATE UNIQUE INDEX customers_email_idx ON customers (email);
-- case:
DROP INDEX CONCURRENTLY customers_email_idx;

-- === hold-unique-index-made-partial
-- expect: breaking
-- why: ON CONFLICT (sku) without a WHERE cannot infer a partial unique index: the restock upsert errors.
-- case:
CREATE UNIQUE INDEX CONCURRENTLY products_sku_in_stock_idx ON products (sku) WHERE stock > 0;
ALTER TABLE products DROP CONSTRAINT products_sku_key;

-- === hold-unique-index-swapped-concurrently
-- expect: safe
-- why: A second unique index on email is built concurrently, then the old one dropped concurrently:
--   ON CONFLICT (email) infers the new one and no write waits for a build.
-- before:
ALTER TABLE customers DROP CONSTRAINT customers_email_key;
CREATE UNIQUE INDEX customers_email_idx ON customers (email);
-- case:
CREATE UNIQUE INDEX CONCURRENTLY customers_email_new_idx ON customers (email);
DROP INDEX CONCURRENTLY customers_email_idx;

-- === hold-rename-index-of-constraint
-- expect: breaking
-- why: Renaming the index behind products_sku_key renames the constraint as well, which the previous
--   release names in ON CONFLICT ON CONSTRAINT.
-- case:
ALTER INDEX products_sku_key RENAME TO products_sku_uq;

-- === hold-rename-plain-index
-- expect: safe
-- why: No query names customers_name_idx.
-- case:
ALTER INDEX customers_name_idx RENAME TO customers_by_name_idx;

-- === hold-reindex-table
-- expect: locking
-- why: REINDEX TABLE rebuilds every index of products while holding SHARE on the table.
-- case:
REINDEX TABLE products;

-- === hold-reindex-table-concurrently
-- expect: safe
-- why: REINDEX CONCURRENTLY builds replacements under SHARE UPDATE EXCLUSIVE and swaps them.
-- case:
REINDEX TABLE CONCURRENTLY products;

-- === hold-reindex-tiny-table
-- expect: safe
-- why: Rebuilding the three-row flags table's index is instant.
-- case:
REINDEX TABLE flags;

-- === hold-cluster-rewrites
-- expect: locking
-- why: CLUSTER rewrites customers in index order under ACCESS EXCLUSIVE.
-- case:
CLUSTER customers USING customers_pkey;

-- === hold-vacuum-full-rewrites
-- expect: locking
-- why: VACUUM FULL writes a new copy of products under ACCESS EXCLUSIVE.
-- case:
VACUUM FULL products;

-- === hold-plain-vacuum
-- expect: safe
-- why: Plain VACUUM takes SHARE UPDATE EXCLUSIVE: reads and writes go on.
-- case:
VACUUM orders;

-- === hold-analyze
-- expect: safe
-- why: ANALYZE takes SHARE UPDATE EXCLUSIVE and samples rows.
-- case:
ANALYZE orders;

-- === hold-set-unlogged-rewrites
-- expect: locking
-- why: SET UNLOGGED writes the table into a new, unlogged file under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE bookings SET UNLOGGED;

-- === hold-set-table-fillfactor
-- expect: safe
-- why: A storage parameter such as fillfactor takes SHARE UPDATE EXCLUSIVE and applies to future pages only.
-- case:
ALTER TABLE orders SET (fillfactor = 80);

-- === hold-set-index-fillfactor
-- expect: safe
-- why: ALTER INDEX SET (fillfactor) does not rebuild the index; only a later REINDEX would use it.
-- case:
ALTER INDEX orders_customer_idx SET (fillfactor = 70);

-- === hold-set-statistics-target
-- expect: safe
-- why: SET STATISTICS takes SHARE UPDATE EXCLUSIVE and only affects the next ANALYZE.
-- case:
ALTER TABLE customers ALTER COLUMN name SET STATISTICS 500;

-- === hold-set-storage-external
-- expect: safe
-- why: SET STORAGE changes how future values are stored; existing rows are not rewritten.
-- case:
ALTER TABLE customers ALTER COLUMN note SET STORAGE EXTERNAL;

-- === hold-set-logged-rewrites
-- expect: locking
-- why: SET LOGGED writes the whole unlogged table to the WAL in a new file under ACCESS EXCLUSIVE.
-- before:
ALTER TABLE bookings SET UNLOGGED;
-- case:
ALTER TABLE bookings SET LOGGED;
