-- NOT NULL, CHECK, UNIQUE, PRIMARY KEY, FOREIGN KEY, EXCLUDE; NOT VALID, VALIDATE, USING INDEX, DEFERRABLE.
-- The ALTER TABLE notes: a new CHECK or FOREIGN KEY is verified by scanning the table unless NOT VALID;
-- VALIDATE CONSTRAINT takes only SHARE UPDATE EXCLUSIVE (a FK: also ROW SHARE on the referenced table);
-- SET NOT NULL scans unless a valid CHECK (col IS NOT NULL) proves it; ADD ... USING INDEX takes an
-- existing index without building one; a NOT VALID constraint still applies to new rows at once.
-- INSERT's notes: ON CONFLICT never uses a DEFERRABLE constraint as arbiter.

-- === hold-set-not-null-scans-and-refuses-old-inserts
-- expect: breaking, locking
-- why: SET NOT NULL scans all 100,000 customers under ACCESS EXCLUSIVE, and the previous release's sign-up,
--   which gives no birthday, is refused afterwards.
-- case:
ALTER TABLE customers ALTER COLUMN birthday SET NOT NULL;

-- === hold-set-not-null-proven-by-valid-check
-- expect: safe
-- why: A validated CHECK (coupon IS NOT NULL) already proves the column has no NULL: SET NOT NULL skips the scan.
-- before:
UPDATE orders SET coupon = 'NONE' WHERE coupon IS NULL;
ALTER TABLE orders ADD CONSTRAINT orders_coupon_present CHECK (coupon IS NOT NULL);
-- case:
ALTER TABLE orders ALTER COLUMN coupon SET NOT NULL;

-- === hold-set-not-null-with-only-not-valid-check
-- expect: locking
-- why: A NOT VALID check proves nothing about existing rows: SET NOT NULL scans orders under ACCESS EXCLUSIVE.
-- before:
UPDATE orders SET coupon = 'NONE' WHERE coupon IS NULL;
ALTER TABLE orders ADD CONSTRAINT orders_coupon_present CHECK (coupon IS NOT NULL) NOT VALID;
-- case:
ALTER TABLE orders ALTER COLUMN coupon SET NOT NULL;

-- === hold-drop-not-null
-- expect: safe
-- why: DROP NOT NULL loosens the column: catalog only, the previous release's writes still pass.
-- case:
ALTER TABLE customers ALTER COLUMN tier DROP NOT NULL;

-- === hold-add-check-validated-scans
-- expect: locking
-- why: A CHECK added without NOT VALID is verified over all 200,000 orders under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE orders ADD CONSTRAINT orders_quantity_nonnegative CHECK (quantity >= 0);

-- === hold-add-check-on-tiny-table
-- expect: safe
-- why: The verifying scan reads three rows.
-- case:
ALTER TABLE flags ADD CONSTRAINT flags_name_lower CHECK (name = lower(name));

-- === hold-add-check-old-writes-violate
-- expect: breaking, locking
-- why: Verified over 20,000 products under ACCESS EXCLUSIVE, and the previous release's one-cent sample
--   product is refused from then on.
-- case:
ALTER TABLE products ADD CONSTRAINT products_price_floor CHECK (price_cents >= 100);

-- === hold-add-check-not-valid-refuses-old-writes
-- expect: breaking
-- why: NOT VALID skips existing rows but applies to new ones at once: sign-up (credit 0 by default) and
--   spending all credit are refused.
-- case:
ALTER TABLE customers ADD CONSTRAINT customers_credit_positive CHECK (credit_cents > 0) NOT VALID;

-- === hold-add-check-not-valid-compatible
-- expect: safe
-- why: NOT VALID: no scan, brief lock; every write of the previous release satisfies it.
-- case:
ALTER TABLE customers ADD CONSTRAINT customers_credit_nonnegative CHECK (credit_cents >= 0) NOT VALID;

-- === hold-add-check-not-valid-then-validate-same-file
-- expect: locking
-- why: Flyway runs the file as one transaction: the ACCESS EXCLUSIVE lock taken by ADD CONSTRAINT is still
--   held while VALIDATE scans the table.
-- case:
ALTER TABLE customers ADD CONSTRAINT customers_credit_nonnegative CHECK (credit_cents >= 0) NOT VALID;
ALTER TABLE customers VALIDATE CONSTRAINT customers_credit_nonnegative;

-- === hold-validate-check-alone
-- expect: safe
-- why: VALIDATE CONSTRAINT alone takes SHARE UPDATE EXCLUSIVE, which lets the previous release write during
--   the scan.
-- before:
ALTER TABLE customers ADD CONSTRAINT customers_credit_nonnegative CHECK (credit_cents >= 0) NOT VALID;
-- case:
ALTER TABLE customers VALIDATE CONSTRAINT customers_credit_nonnegative;

-- === hold-drop-check-constraint
-- expect: safe
-- why: Dropping a CHECK only loosens: brief lock, no scan.
-- case:
ALTER TABLE products DROP CONSTRAINT products_price_check;

-- === hold-add-unique-constraint-builds-index
-- expect: locking
-- why: ADD CONSTRAINT UNIQUE builds its index over 100,000 rows inside ACCESS EXCLUSIVE.
-- case:
ALTER TABLE customers ADD CONSTRAINT customers_phone_key UNIQUE (phone);

-- === hold-add-unique-using-existing-index
-- expect: safe
-- why: UNIQUE USING INDEX adopts an index built earlier (concurrently): no build, brief lock.
-- before:
CREATE UNIQUE INDEX CONCURRENTLY customers_phone_idx ON customers (phone);
-- case:
ALTER TABLE customers ADD CONSTRAINT customers_phone_key UNIQUE USING INDEX customers_phone_idx;

-- === hold-add-primary-key-using-existing-index
-- expect: safe
-- why: The column is already NOT NULL and the unique index exists: PRIMARY KEY USING INDEX neither builds
--   nor scans.
-- before:
ALTER TABLE bookings DROP CONSTRAINT bookings_pkey;
CREATE UNIQUE INDEX bookings_id_idx ON bookings (id);
-- case:
ALTER TABLE bookings ADD CONSTRAINT bookings_pkey PRIMARY KEY USING INDEX bookings_id_idx;

-- === hold-add-primary-key-builds-index
-- expect: locking
-- why: ADD PRIMARY KEY without an index builds one over 20,000 bookings under ACCESS EXCLUSIVE.
-- before:
ALTER TABLE bookings DROP CONSTRAINT bookings_pkey;
-- case:
ALTER TABLE bookings ADD PRIMARY KEY (id);

-- === hold-add-foreign-key-validated
-- expect: locking
-- why: A validated FOREIGN KEY checks all 200,000 orders against products while SHARE ROW EXCLUSIVE stops
--   writes on both tables.
-- before:
ALTER TABLE orders DROP CONSTRAINT orders_product_id_fkey;
-- case:
ALTER TABLE orders ADD CONSTRAINT orders_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id);

-- === hold-add-foreign-key-not-valid
-- expect: safe
-- why: NOT VALID skips the check of existing rows; the brief SHARE ROW EXCLUSIVE lock covers no scan.
-- before:
ALTER TABLE orders DROP CONSTRAINT orders_product_id_fkey;
-- case:
ALTER TABLE orders ADD CONSTRAINT orders_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id) NOT VALID;

-- === hold-add-foreign-key-not-valid-then-validate-same-file
-- expect: locking
-- why: In one transaction, VALIDATE scans orders while the SHARE ROW EXCLUSIVE lock of ADD CONSTRAINT is held.
-- before:
ALTER TABLE orders DROP CONSTRAINT orders_product_id_fkey;
-- case:
ALTER TABLE orders ADD CONSTRAINT orders_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_product_id_fkey;

-- === hold-foreign-key-not-valid-refuses-old-writes
-- expect: breaking
-- why: New rows are checked at once: the previous release's order with coupon 'SPRING' has no coupons row.
-- before:
CREATE TABLE coupons (code varchar(12) PRIMARY KEY);
INSERT INTO coupons VALUES ('WINTER');
-- case:
ALTER TABLE orders ADD CONSTRAINT orders_coupon_fkey FOREIGN KEY (coupon) REFERENCES coupons (code) NOT VALID;

-- === hold-foreign-key-made-deferrable
-- expect: safe
-- why: ALTER CONSTRAINT ... DEFERRABLE on a foreign key changes when it is checked, not what it accepts; no
--   previous-release write violates it, and no scan happens.
-- case:
ALTER TABLE orders ALTER CONSTRAINT orders_customer_id_fkey DEFERRABLE INITIALLY DEFERRED;

-- === hold-unique-made-deferrable-loses-upsert-arbiter
-- expect: breaking, locking
-- why: ON CONFLICT cannot use a deferrable constraint as arbiter: the restock upsert on sku finds no
--   matching constraint; and the replacement index is built over 20,000 rows under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE products DROP CONSTRAINT products_sku_key,
    ADD CONSTRAINT products_sku_key UNIQUE (sku) DEFERRABLE INITIALLY IMMEDIATE;

-- === hold-drop-unique-constraint-old-upserts-name
-- expect: breaking
-- why: The previous release's upserts use ON CONFLICT (sku) and ON CONFLICT ON CONSTRAINT products_sku_key.
-- case:
ALTER TABLE products DROP CONSTRAINT products_sku_key;

-- === hold-rename-constraint-used-by-on-conflict
-- expect: breaking
-- why: ON CONFLICT ON CONSTRAINT names products_sku_key: after the rename the previous release's insert fails.
-- case:
ALTER TABLE products RENAME CONSTRAINT products_sku_key TO products_sku_unique;

-- === hold-rename-constraint-nobody-names
-- expect: safe
-- why: No query of the previous release names orders_customer_id_fkey; renaming is catalog only.
-- case:
ALTER TABLE orders RENAME CONSTRAINT orders_customer_id_fkey TO orders_customer_fk;

-- === hold-unique-constraint-replaced-by-plain-unique-index
-- expect: breaking, locking
-- why: ON CONFLICT (sku) still infers the new unique index, but ON CONFLICT ON CONSTRAINT products_sku_key
--   no longer finds a constraint; CREATE INDEX holds SHARE while it reads 20,000 products.
-- case:
ALTER TABLE products DROP CONSTRAINT products_sku_key;
CREATE UNIQUE INDEX products_sku_key ON products (sku);

-- === hold-add-exclusion-constraint-builds-gist
-- expect: locking
-- why: EXCLUDE builds a GiST index over 20,000 bookings inside ALTER TABLE's ACCESS EXCLUSIVE.
-- case:
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&);

-- === hold-add-exclusion-constraint-with-btree-gist
-- expect: locking
-- why: With btree_gist, EXCLUDE (room WITH =, during WITH &&) builds the same kind of index, same lock.
-- before:
CREATE EXTENSION IF NOT EXISTS btree_gist;
-- case:
ALTER TABLE bookings ADD CONSTRAINT bookings_room_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);

-- === hold-exclusion-constraint-refuses-old-booking
-- expect: breaking, locking
-- why: Every booking now must not overlap a blocked-out range: the previous release's 2030 booking is
--   refused; the index is built over 20,000 rows under ACCESS EXCLUSIVE.
-- before:
INSERT INTO bookings (id, room, during) VALUES (800000, 3, tstzrange('2029-12-31 00:00+00', '2030-01-02 00:00+00'));
-- case:
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&);

-- === hold-check-on-tiny-table-refuses-old-toggle
-- expect: breaking
-- why: The scan reads three rows, but the previous release toggles dark-mode on, which the check refuses.
-- case:
ALTER TABLE flags ADD CONSTRAINT flags_dark_mode_off CHECK (name <> 'dark-mode' OR NOT enabled);
