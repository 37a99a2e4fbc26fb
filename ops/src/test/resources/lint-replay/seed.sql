-- Rows, so that what PostgreSQL does per row (rewrite, scan, validate) takes place on a table of size:
-- 100,000 accounts, 200,000 posts (four for each of the first 50,000 accounts), 100,000 audit events.
INSERT INTO accounts (id, email, handle, display_name, plan, status, balance_cents, rating, login_count, country, bio,
                      settings, created_at, last_seen)
SELECT g, 'user' || g || '@example.com', 'user' || g, 'User ' || g,
       CASE WHEN g % 10 = 0 THEN 'pro' ELSE 'free' END,
       CASE WHEN g % 50 = 0 THEN 'suspended' ELSE 'active' END::account_status,
       g % 1000, (g % 500) / 10.0, g % 300, CASE WHEN g % 3 = 0 THEN 'NL' ELSE 'DE' END,
       CASE WHEN g % 2 = 0 THEN 'bio of ' || g END,
       CASE WHEN g % 4 = 0 THEN '{"theme": "dark"}' ELSE '{}' END::jsonb,
       timestamptz '2025-01-01 00:00:00+00' + g * interval '5 minutes',
       timestamp '2025-06-01 00:00:00' + g * interval '1 minute'
FROM generate_series(1, 100000) g;
SELECT setval(pg_get_serial_sequence('accounts', 'id'), 100000);

INSERT INTO posts (id, account_id, slug, title, body, published, views, score, tags, created_at)
SELECT g, (g - 1) / 4 + 1, 'post-' || g, 'Post number ' || g, 'Body of post ' || g, g % 3 = 0, g % 1000,
       CASE WHEN g % 5 = 0 THEN NULL ELSE (g % 100) / 10.0 END, ARRAY['tag' || g % 7],
       timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute'
FROM generate_series(1, 200000) g;
SELECT setval(pg_get_serial_sequence('posts', 'id'), 200000);

INSERT INTO audit_events (account_id, kind, detail, at)
SELECT g, CASE WHEN g % 2 = 0 THEN 'login' ELSE 'signup' END, 'event ' || g,
       timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute'
FROM generate_series(1, 100000) g;

INSERT INTO settings_kv (key, value)
SELECT 'key' || g, 'value ' || g FROM generate_series(1, 9) g;
INSERT INTO settings_kv (key, value) VALUES ('theme', 'light');
