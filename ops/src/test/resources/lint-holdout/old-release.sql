-- The previous release's queries against the held-out schema: literal values in place of parameters. Each
-- runs in its own transaction, rolled back; none returns a sequence- or identity-generated value, so the
-- answers before and after a migration compare as text.

-- query: customer-by-id
SELECT id, email, name, tier, phone, credit_cents, discount, birthday, note, locale
FROM customers WHERE id = 42;

-- query: customer-by-email
SELECT id, name FROM customers WHERE email = 'c43@shop.test';

-- query: sign-up
INSERT INTO customers (email, name) VALUES ('new@shop.test', 'New Customer')
RETURNING tier, credit_cents, phone, discount, note, locale;

-- query: sign-up-with-every-field
INSERT INTO customers (email, name, tier, phone, credit_cents, discount, birthday, note, locale)
VALUES ('full@shop.test', 'A name that is forty-five characters long, ok', 'platinum', '+31 6 1234 5678 9012',
        0, 999.99, '1899-12-31', 'a note', 'x-klingon')
RETURNING name, tier, phone, discount, birthday, locale;

-- query: upsert-customer-by-email
INSERT INTO customers (email, name) VALUES ('c7@shop.test', 'Renamed')
ON CONFLICT (email) DO UPDATE SET name = excluded.name RETURNING name;

-- query: update-customer
UPDATE customers SET phone = NULL, note = NULL, credit_cents = credit_cents + 5, discount = NULL
WHERE id = 43 RETURNING phone, credit_cents, discount;

-- query: spend-all-credit
UPDATE customers SET credit_cents = 0 WHERE id = 44 RETURNING credit_cents;

-- query: gold-customers-sorted-by-locale
SELECT id, locale FROM customers WHERE id <= 30 AND tier = 'gold' ORDER BY locale, id;

-- query: delete-customer-without-orders
DELETE FROM customers WHERE id = 99999 RETURNING email;

-- query: product-by-sku
SELECT id, title, price_cents, price_eur, weight_g FROM products WHERE sku = 'SKU-00042';

-- query: new-product
INSERT INTO products (id, sku, title, price_cents, weight_g) VALUES (900001, 'SKU-NEW', 'New', 1250, 30000)
RETURNING stock, attrs, price_eur;

-- query: free-sample-product
INSERT INTO products (id, sku, title, price_cents, stock) VALUES (900002, 'SKU-SAMPLE', 'Sample', 1, 0)
RETURNING price_cents;

-- query: restock-by-sku
INSERT INTO products (id, sku, title, price_cents) VALUES (900003, 'SKU-00007', 'Restock', 500)
ON CONFLICT (sku) DO UPDATE SET stock = products.stock + 1 RETURNING stock;

-- query: product-once-by-constraint
INSERT INTO products (id, sku, title, price_cents) VALUES (900004, 'SKU-00008', 'Dup', 500)
ON CONFLICT ON CONSTRAINT products_sku_key DO NOTHING RETURNING id;

-- query: red-products
SELECT count(*) FROM products WHERE attrs ->> 'color' = 'red';

-- query: place-order
INSERT INTO orders (customer_id, product_id, total_cents, coupon) VALUES (42, 7, 1999, 'spring')
RETURNING quantity, state, coupon, shipped_on;

-- query: ship-order
UPDATE orders SET state = 'shipped', shipped_on = '2026-03-01' WHERE id = 10 RETURNING state, shipped_on;

-- query: cancel-order
UPDATE orders SET state = 'cancelled', quantity = 0 WHERE id = 11 RETURNING state, quantity;

-- query: orders-of-customer
SELECT o.id, o.state, o.quantity, o.total_cents, o.coupon, p.sku
FROM orders o JOIN products p ON p.id = o.product_id WHERE o.customer_id = 42 ORDER BY o.id;

-- query: orders-by-state
SELECT state, count(*) FROM orders WHERE id <= 5000 GROUP BY state ORDER BY state;

-- query: delete-order
DELETE FROM orders WHERE id = 12 RETURNING total_cents;

-- query: open-orders-view
SELECT id, total_cents FROM open_orders WHERE customer_id = 42 ORDER BY id;

-- query: order-total-function
SELECT order_total(3, 499);

-- query: next-ticket
SELECT nextval('ticket_numbers') > 0;

-- query: record-reading
INSERT INTO readings (sensor_id, taken_at, value) VALUES (7, '2025-06-01', 1.5) RETURNING value;

-- query: readings-of-sensor
SELECT count(*), sum(value) FROM readings WHERE sensor_id = 7;

-- query: forget-reading
DELETE FROM readings WHERE sensor_id = 99 AND taken_at = '2024-01-05' RETURNING value;

-- query: book-room
INSERT INTO bookings (id, room, during)
VALUES (900001, 3, tstzrange('2030-01-01 10:00+00', '2030-01-01 11:00+00')) RETURNING room;

-- query: bookings-of-room
SELECT count(*) FROM bookings WHERE room = 3;

-- query: notes-seen-by-app
SELECT notes_seen_by_app();

-- query: note-written-by-app
SELECT note_written_by_app(900001);

-- query: flag-read
SELECT enabled FROM flags WHERE name = 'beta';

-- query: flag-toggle
UPDATE flags SET enabled = NOT enabled WHERE name = 'dark-mode' RETURNING enabled;
