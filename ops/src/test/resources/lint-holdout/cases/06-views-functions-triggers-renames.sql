-- Renames and drops of tables, columns, views, functions and triggers; replaced views and function bodies.
-- A query resolves names when it runs, so a renamed object is "not found" by the previous release; CREATE
-- OR REPLACE VIEW may only append columns; function calls are resolved among overloads at call time, and
-- a new overload with a defaulted extra argument makes a two-argument call ambiguous ("Function
-- Overloading" and "Type Conversion: Functions"); rules and triggers change what a statement does.

-- === hold-rename-table-the-old-release-uses
-- expect: breaking
-- why: flag-read and flag-toggle name flags.
-- case:
ALTER TABLE flags RENAME TO feature_flags;

-- === hold-rename-table-behind-updatable-view
-- expect: safe
-- why: A simple view under the old name is automatically updatable: the previous release's SELECT and
--   UPDATE ... RETURNING work through it.
-- case:
ALTER TABLE flags RENAME TO feature_flags;
CREATE VIEW flags AS SELECT name, enabled FROM feature_flags;

-- === hold-rename-column-the-old-release-uses
-- expect: breaking
-- why: customer-by-id and update-customer name phone.
-- case:
ALTER TABLE customers RENAME COLUMN phone TO phone_number;

-- === hold-rename-column-nobody-names
-- expect: safe
-- why: No query of the previous release names created_at.
-- case:
ALTER TABLE customers RENAME COLUMN created_at TO signed_up_at;

-- === hold-move-table-to-another-schema
-- expect: breaking
-- why: The previous release finds flags through search_path (public); SET SCHEMA moves it out of reach.
-- case:
CREATE SCHEMA archive;
ALTER TABLE flags SET SCHEMA archive;

-- === hold-rename-view
-- expect: breaking
-- why: open-orders-view selects from open_orders.
-- case:
ALTER VIEW open_orders RENAME TO unpaid_orders;

-- === hold-replace-view-appending-column
-- expect: safe
-- why: CREATE OR REPLACE VIEW may append a column; the previous release names its columns and sees the same rows.
-- case:
CREATE OR REPLACE VIEW open_orders AS
    SELECT id, customer_id, total_cents, placed_at, coupon FROM orders WHERE state = 'open';

-- === hold-replace-view-changing-rows
-- expect: breaking
-- why: The view now also returns paid orders: the previous release's list of open orders changes.
-- case:
CREATE OR REPLACE VIEW open_orders AS
    SELECT id, customer_id, total_cents, placed_at FROM orders WHERE state IN ('open', 'paid');

-- === hold-drop-view
-- expect: breaking
-- why: open-orders-view selects from it.
-- case:
DROP VIEW open_orders;

-- === hold-rename-function
-- expect: breaking
-- why: order-total-function calls order_total by name.
-- case:
ALTER FUNCTION order_total(integer, integer) RENAME TO line_total;

-- === hold-replace-function-with-different-result
-- expect: breaking
-- why: CREATE OR REPLACE FUNCTION changes the body in place: the previous release's call now rounds to euros.
-- case:
CREATE OR REPLACE FUNCTION order_total(quantity integer, price_cents integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$ SELECT round(quantity::numeric * price_cents, -2)::bigint $$;

-- === hold-function-volatility-change
-- expect: safe
-- why: Marking the function VOLATILE changes how the planner may use it, not what a call returns.
-- case:
ALTER FUNCTION order_total(integer, integer) VOLATILE;

-- === hold-function-overload-other-types
-- expect: safe
-- why: order_total(3, 499) has integer arguments: the (integer, integer) function is an exact match and is
--   preferred over the new (numeric, numeric) overload.
-- case:
CREATE FUNCTION order_total(quantity numeric, price_cents numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT quantity * price_cents $$;

-- === hold-function-overload-with-defaulted-argument-is-ambiguous
-- expect: breaking
-- why: A new order_total(integer, integer, integer DEFAULT 0) matches a two-argument call exactly as well as
--   the old one: PostgreSQL refuses the call as ambiguous ("function is not unique").
-- case:
CREATE FUNCTION order_total(quantity integer, price_cents integer, discount_cents integer DEFAULT 0) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$ SELECT quantity::bigint * price_cents - discount_cents $$;

-- === hold-drop-trigger-old-writes-relied-on
-- expect: breaking
-- why: The trigger upper-cases coupons: without it place-order returns 'spring' instead of 'SPRING'.
-- case:
DROP TRIGGER orders_coupon_upper ON orders;

-- === hold-disable-trigger
-- expect: breaking
-- why: DISABLE TRIGGER has the same effect on the previous release's writes as dropping it.
-- case:
ALTER TABLE orders DISABLE TRIGGER orders_coupon_upper;

-- === hold-rename-trigger
-- expect: safe
-- why: Triggers fire by table, not by name; nothing of the previous release names it.
-- case:
ALTER TRIGGER orders_coupon_upper ON orders RENAME TO orders_coupon_normalise;

-- === hold-replace-trigger-function-body
-- expect: breaking
-- why: CREATE OR REPLACE FUNCTION changes the trigger's effect: coupons are now stored lower case.
-- case:
CREATE OR REPLACE FUNCTION orders_coupon_upper() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.coupon := lower(NEW.coupon);
    RETURN NEW;
END
$$;

-- === hold-new-trigger-refusing-deletes
-- expect: breaking
-- why: A BEFORE DELETE trigger that raises refuses the previous release's delete of a customer.
-- case:
CREATE FUNCTION customers_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'customers are kept; close them instead';
END
$$;
CREATE TRIGGER customers_keep BEFORE DELETE ON customers FOR EACH ROW EXECUTE FUNCTION customers_keep();

-- === hold-new-audit-trigger
-- expect: safe
-- why: An AFTER INSERT trigger writing to another table leaves what the previous release's INSERT returns
--   unchanged; CREATE TRIGGER's SHARE ROW EXCLUSIVE lock covers no scan.
-- case:
CREATE TABLE customer_log (customer_id bigint, at timestamptz DEFAULT now());
CREATE FUNCTION customers_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_log (customer_id) VALUES (NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER customers_log AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION customers_log();

-- === hold-rule-instead-nothing
-- expect: breaking
-- why: A DO INSTEAD NOTHING rule swallows the previous release's UPDATE, and UPDATE ... RETURNING on a table
--   with such a rule is refused.
-- case:
CREATE RULE flags_read_only AS ON UPDATE TO flags DO INSTEAD NOTHING;

-- === hold-drop-unused-populated-table
-- expect: safe
-- why: DROP TABLE of a table the previous release never names: a brief ACCESS EXCLUSIVE on it, nothing else.
-- before:
CREATE TABLE legacy_sessions AS SELECT g AS id, md5(g::text) AS token FROM generate_series(1, 5000) g;
-- case:
DROP TABLE legacy_sessions;

-- === hold-truncate-table-the-old-release-reads
-- expect: breaking, locking
-- why: TRUNCATE swaps bookings for an empty file under ACCESS EXCLUSIVE; the previous release counts bookings.
-- case:
TRUNCATE bookings;

-- === hold-truncate-tiny-table-the-old-release-reads
-- expect: breaking
-- why: A three-row table: no lock worth the name, but flag-read finds nothing afterwards.
-- case:
TRUNCATE flags;

-- === hold-create-table-as-copy
-- expect: safe
-- why: CREATE TABLE AS reads customers under ACCESS SHARE only: the previous release writes meanwhile.
-- case:
CREATE TABLE customers_backup AS SELECT * FROM customers;

-- === hold-comment-on-objects
-- expect: safe
-- why: COMMENT ON writes pg_description only.
-- case:
COMMENT ON TABLE orders IS 'One row per order';
COMMENT ON COLUMN customers.tier IS 'basic or gold';
COMMENT ON FUNCTION order_total(integer, integer) IS 'line total in cents';

-- === hold-drop-column-cascade-drops-view
-- expect: breaking
-- why: The previous release never reads orders.placed_at itself, but CASCADE also drops open_orders, which
--   selects it and which the previous release reads.
-- case:
ALTER TABLE orders DROP COLUMN placed_at CASCADE;
