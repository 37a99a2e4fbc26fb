-- Data changed by a migration. Every row an UPDATE or DELETE touches stays locked against the previous
-- release's writes until the migration commits ("Row-Level Locks"); rows it changes are what the previous
-- release reads next.

-- === hold-backfill-every-customer
-- expect: locking
-- why: One UPDATE over 100,000 rows: each row is locked until the commit; the values stay the same text.
-- case:
UPDATE customers SET tier = lower(tier);

-- === hold-backfill-after-adding-column
-- expect: locking
-- why: ADD COLUMN is cheap, but the backfill updates 200,000 orders while ADD COLUMN's ACCESS EXCLUSIVE is
--   still held (same transaction).
-- case:
ALTER TABLE orders ADD COLUMN line_count integer;
UPDATE orders SET line_count = quantity;

-- === hold-update-a-few-hundred-rows
-- expect: safe
-- why: 500 orders the previous release never reads are updated: a short row-lock footprint.
-- case:
UPDATE orders SET coupon = 'LEGACY' WHERE id > 199500;

-- === hold-delete-many-old-rows
-- expect: locking
-- why: Deleting 25,000 cancelled orders locks each until the commit; none is one the previous release reads.
-- case:
DELETE FROM orders WHERE state = 'cancelled' AND id > 100000;

-- === hold-data-fix-on-a-row-the-old-release-reads
-- expect: breaking
-- why: The migration changes customer 42's tier, which customer-by-id returns.
-- case:
UPDATE customers SET tier = 'gold' WHERE id = 42;

-- === hold-insert-new-flag
-- expect: safe
-- why: A new row nobody of the previous release reads.
-- case:
INSERT INTO flags (name, enabled) VALUES ('checkout-v3', false);

-- === hold-lock-table-and-touch-few-rows
-- expect: safe
-- why: An explicit SHARE ROW EXCLUSIVE lock stops writes, but only for the time of one small update.
-- case:
LOCK TABLE products IN SHARE ROW EXCLUSIVE MODE;
UPDATE products SET stock = stock + 1 WHERE id BETWEEN 100 AND 109;

-- === hold-copy-rows-into-new-table
-- expect: safe
-- why: INSERT ... SELECT reads orders under ACCESS SHARE: the previous release's writes continue.
-- case:
CREATE TABLE order_archive (LIKE orders);
INSERT INTO order_archive SELECT * FROM orders WHERE placed_at < '2024-03-01';

-- === hold-delete-then-vacuum-outside-transaction
-- expect: safe
-- why: The DELETE touches under 300 rows of rooms the previous release does not count, and VACUUM (outside a transaction) takes SHARE UPDATE EXCLUSIVE.
-- case:
DELETE FROM bookings WHERE id > 19700 AND room <> 3;
VACUUM bookings;

-- === hold-update-every-reading-through-parent
-- expect: locking
-- why: An UPDATE on the partitioned parent locks all 100,000 readings across both partitions.
-- case:
UPDATE readings SET value = value;
