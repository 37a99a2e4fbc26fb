-- Rows, so that what PostgreSQL does per row (rewrite, scan, validate) happens on tables of size:
-- 100,000 customers, 20,000 products, 200,000 orders (four for each of the first 50,000 customers),
-- 100,000 readings over two yearly partitions, 20,000 bookings, 2,000 notes, 3 flags.
INSERT INTO customers (email, name, tier, phone, credit_cents, discount, birthday, note, locale, created_at)
SELECT 'c' || g || '@shop.test', 'Customer ' || g,
       CASE WHEN g % 10 = 0 THEN 'gold' ELSE 'basic' END,
       CASE WHEN g % 3 = 0 THEN NULL ELSE '+31 6 ' || lpad(g::text, 8, '0') END,
       g % 500, (g % 100) / 4.0, date '1970-01-01' + g % 15000,
       CASE WHEN g % 2 = 0 THEN 'note ' || g END,
       CASE g % 3 WHEN 0 THEN 'nl_NL' WHEN 1 THEN 'de_DE' ELSE 'en_GB' END,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '3 minutes'
FROM generate_series(1, 100000) g;

INSERT INTO products (id, sku, title, price_cents, stock, weight_g, attrs)
SELECT g, 'SKU-' || lpad(g::text, 5, '0'), 'Product ' || g, 100 + g % 5000, g % 50, g % 2000,
       CASE WHEN g % 5 = 0 THEN '{"color": "red"}' ELSE '{}' END::jsonb
FROM generate_series(1, 20000) g;

INSERT INTO orders (id, customer_id, product_id, quantity, state, total_cents, coupon, placed_at, shipped_on)
SELECT g, (g - 1) / 4 + 1, g % 20000 + 1, 1 + g % 3,
       (ARRAY['open', 'paid', 'shipped', 'cancelled'])[1 + g % 4]::order_state,
       (1 + g % 3) * (100 + (g + 1) % 5000),
       CASE WHEN g % 7 = 0 THEN 'spring' END,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '2 minutes',
       CASE WHEN g % 4 = 2 THEN date '2024-02-01' + g % 600 END
FROM generate_series(1, 200000) g;
SELECT setval(pg_get_serial_sequence('orders', 'id'), 200000);

INSERT INTO readings (sensor_id, taken_at, value)
SELECT g % 100, date '2024-01-01' + g % 730, g / 10.0
FROM generate_series(1, 100000) g;

INSERT INTO bookings (id, room, during)
SELECT g, g % 50, tstzrange(timestamptz '2025-01-01 00:00:00+00' + g * interval '1 hour',
                            timestamptz '2025-01-01 00:00:00+00' + g * interval '1 hour' + interval '50 minutes')
FROM generate_series(1, 20000) g;

INSERT INTO notes (id, author, body)
SELECT g, CASE WHEN g % 4 = 0 THEN 'shop_app' ELSE 'staff' END, 'note ' || g
FROM generate_series(1, 2000) g;

INSERT INTO flags (name, enabled) VALUES ('beta', true), ('dark-mode', false), ('search-v2', true);
