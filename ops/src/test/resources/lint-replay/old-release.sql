-- The previous release's queries: what the code already running sends, literal values in place of
-- parameters. Each runs in its own transaction, rolled back; none returns a sequence-generated id, so the
-- answers before and after a migration can be compared as text.

-- query: account-by-id
SELECT id, email, handle, display_name, plan, status, balance_cents, rating, login_count, country, bio, settings,
       created_at, last_seen
FROM accounts WHERE id = 42;

-- query: account-by-email
SELECT id, handle FROM accounts WHERE email = 'user43@example.com';

-- query: sign-up-with-defaults
INSERT INTO accounts (email, handle) VALUES ('new@example.com', 'newcomer')
RETURNING plan, status, balance_cents, settings, display_name, login_count, bio;

-- query: sign-up-with-every-field
INSERT INTO accounts (email, handle, display_name, plan, status, balance_cents, rating, login_count, country, bio, last_seen)
VALUES ('full@example.com', 'a-handle-of-thirty-one-letters-', 'A display name of more than fifty characters, about sixty-five ok',
        'pro', 'suspended', 0, 9999.99, 2147483000, 'NL', NULL, '2026-01-02 03:04:05')
RETURNING handle, display_name, plan, status, rating, login_count, country, last_seen;

-- query: upsert-by-handle
INSERT INTO accounts (email, handle) VALUES ('upsert@example.com', 'user7')
ON CONFLICT (handle) DO UPDATE SET display_name = 'upserted' RETURNING display_name;

-- query: sign-up-once-by-email-constraint
INSERT INTO accounts (email, handle) VALUES ('user8@example.com', 'other8')
ON CONFLICT ON CONSTRAINT accounts_email_key DO NOTHING RETURNING handle;

-- query: update-profile
UPDATE accounts SET display_name = NULL, country = 'BE', login_count = login_count + 1,
                    last_seen = '2026-02-03 04:05:06', bio = NULL
WHERE id = 43 RETURNING display_name, country, login_count, last_seen;

-- query: spend-balance-to-zero
UPDATE accounts SET balance_cents = 0 WHERE id = 44 RETURNING balance_cents;

-- query: close-account
UPDATE accounts SET status = 'closed' WHERE id = 45 RETURNING status;

-- query: first-free-active-accounts
SELECT id, handle FROM accounts WHERE status = 'active' AND plan = 'free' ORDER BY id LIMIT 5;

-- query: accounts-created-since
SELECT count(*) FROM accounts WHERE created_at >= timestamptz '2025-03-01 00:00:00+00';

-- query: accounts-per-country
SELECT country, count(*) FROM accounts GROUP BY country ORDER BY country;

-- query: suspended-by-enum
SELECT count(*) FROM accounts WHERE status = 'suspended'::account_status;

-- query: theme-of-account
SELECT settings ->> 'theme' FROM accounts WHERE id = 8;

-- query: delete-account-without-posts
DELETE FROM accounts WHERE id = 99999 RETURNING handle;

-- query: posts-of-account
SELECT p.id, p.slug, p.title, p.views, p.score, p.tags, p.published, p.body
FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.handle = 'user42' ORDER BY p.id;

-- query: new-post-with-defaults
INSERT INTO posts (account_id, slug, title) VALUES (42, 'fresh-post', 'Fresh') RETURNING body, published, views, tags, score;

-- query: new-post-long-title
INSERT INTO posts (account_id, slug, title, body)
VALUES (43, 'a-long-one', repeat('t', 150), 'x') RETURNING length(title);

-- query: second-post
INSERT INTO posts (account_id, slug, title) VALUES (42, 'second', 'Second') RETURNING slug;

-- query: upsert-post-by-slug
INSERT INTO posts (account_id, slug, title) VALUES (42, 'post-165', 'Again')
ON CONFLICT (account_id, slug) DO UPDATE SET title = excluded.title RETURNING title;

-- query: publish-post
UPDATE posts SET published = true, views = views + 1, score = 4.5 WHERE id = 10 RETURNING published, views, score;

-- query: posts-per-account
SELECT account_id, count(*), sum(views) FROM posts WHERE account_id <= 3 GROUP BY account_id ORDER BY 1;

-- query: delete-post
DELETE FROM posts WHERE id = 11 RETURNING slug;

-- query: published-view
SELECT id, slug, title FROM published_posts WHERE account_id = 42 ORDER BY id;

-- query: slug-function
SELECT handle_slug('Hello World');

-- query: next-invoice-number
SELECT nextval('invoice_numbers') > 0;

-- query: audit-insert
INSERT INTO audit_events (account_id, kind, detail) VALUES (42, 'login', 'from the test') RETURNING kind, detail;

-- query: audit-system-event
INSERT INTO audit_events (account_id, kind) VALUES (NULL, 'system') RETURNING account_id, detail;

-- query: audit-for-deleted-account
INSERT INTO audit_events (account_id, kind) VALUES (123456789, 'purge') RETURNING account_id;

-- query: audit-with-explicit-sequence
INSERT INTO audit_events (id, account_id, kind) VALUES (nextval('audit_events_id_seq'), 1, 'manual') RETURNING kind;

-- query: audit-count-by-kind
SELECT kind, count(*) FROM audit_events WHERE id <= 1000 GROUP BY kind ORDER BY kind;

-- query: setting-read
SELECT value FROM settings_kv WHERE key = 'theme';

-- query: setting-upsert
INSERT INTO settings_kv (key, value) VALUES ('theme', 'dark')
ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING value;

-- query: setting-delete
DELETE FROM settings_kv WHERE key = 'key3' RETURNING value;
