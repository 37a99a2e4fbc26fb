-- Renames, drops, defaults and data. Everything the previous release names by text breaks when renamed or
-- dropped: tables, columns, views, functions, sequences passed to nextval(), types and enum labels in casts,
-- constraints in ON CONFLICT ON CONSTRAINT. A column default "only applies to subsequent INSERT commands": the
-- previous release's INSERTs that omit the column get the new one. DML runs under ROW EXCLUSIVE but locks every
-- row it changes until the commit.

-- === rename-column
-- expect: breaking
-- why: the previous release selects and writes display_name.
-- case:
ALTER TABLE accounts RENAME COLUMN display_name TO full_name;

-- === rename-table
-- expect: breaking
-- why: the previous release queries accounts.
-- case:
ALTER TABLE accounts RENAME TO users;

-- === rename-table-keep-view
-- expect: safe
-- why: a simple view under the old name is automatically updatable, and ON CONFLICT (key) is inferred on the
--   table under it.
-- case:
ALTER TABLE settings_kv RENAME TO settings;
CREATE VIEW settings_kv AS SELECT key, value FROM settings;

-- === move-table-to-other-schema
-- expect: breaking
-- why: SET SCHEMA moves settings_kv out of the previous release's search_path.
-- case:
CREATE SCHEMA archive;
ALTER TABLE settings_kv SET SCHEMA archive;

-- === rename-view
-- expect: breaking
-- why: the previous release selects from published_posts.
-- case:
ALTER VIEW published_posts RENAME TO visible_posts;

-- === rename-function
-- expect: breaking
-- why: the previous release calls handle_slug().
-- case:
ALTER FUNCTION handle_slug(text) RENAME TO slugify;

-- === rename-sequence-called-by-name
-- expect: breaking
-- why: the previous release calls nextval('invoice_numbers').
-- case:
ALTER SEQUENCE invoice_numbers RENAME TO invoice_seq;

-- === rename-serial-sequence
-- expect: breaking
-- why: the column default follows the sequence by oid, but the previous release's explicit
--   nextval('audit_events_id_seq') does not.
-- case:
ALTER SEQUENCE audit_events_id_seq RENAME TO audit_event_ids;

-- === rename-type
-- expect: breaking
-- why: the previous release casts to account_status.
-- case:
ALTER TYPE account_status RENAME TO account_state;

-- === rename-enum-value
-- expect: breaking
-- why: the previous release writes 'closed'.
-- case:
ALTER TYPE account_status RENAME VALUE 'closed' TO 'deleted';

-- === add-enum-value
-- expect: safe
-- why: a new label changes nothing the previous release reads or writes.
-- case:
ALTER TYPE account_status ADD VALUE 'pending';

-- === rename-unused-column
-- expect: safe
-- why: no query of the previous release names the column added before it.
-- before:
ALTER TABLE accounts ADD COLUMN legacy_flag boolean;
-- case:
ALTER TABLE accounts RENAME COLUMN legacy_flag TO old_flag;

-- === drop-table
-- expect: breaking
-- why: the previous release reads and writes settings_kv.
-- case:
DROP TABLE settings_kv;

-- === drop-unused-table
-- expect: safe
-- why: a table the previous release never names.
-- before:
CREATE TABLE old_imports (id bigint PRIMARY KEY, payload text);
-- case:
DROP TABLE old_imports;

-- === drop-view
-- expect: breaking
-- why: the previous release selects from published_posts.
-- case:
DROP VIEW published_posts;

-- === drop-function
-- expect: breaking
-- why: the previous release calls handle_slug().
-- case:
DROP FUNCTION handle_slug(text);

-- === drop-sequence
-- expect: breaking
-- why: the previous release calls nextval('invoice_numbers').
-- case:
DROP SEQUENCE invoice_numbers;

-- === drop-unused-column
-- expect: safe
-- why: the contract step of a column the previous release no longer uses.
-- before:
ALTER TABLE accounts ADD COLUMN legacy_flag boolean;
-- case:
ALTER TABLE accounts DROP COLUMN legacy_flag;

-- === drop-column-behind-view-cascade
-- expect: breaking
-- why: DROP COLUMN … CASCADE takes the view with it, and the previous release reads both.
-- case:
ALTER TABLE posts DROP COLUMN title CASCADE;

-- === drop-column-old-code-writes
-- expect: breaking
-- why: the previous release writes last_seen.
-- case:
ALTER TABLE accounts DROP COLUMN last_seen;

-- === drop-enum-type-after-converting-column
-- expect: breaking, locking
-- why: status becomes text (a rewrite) and the type goes: the previous release's casts fail.
-- case:
ALTER TABLE accounts ALTER COLUMN status DROP DEFAULT;
ALTER TABLE accounts ALTER COLUMN status TYPE text;
ALTER TABLE accounts ALTER COLUMN status SET DEFAULT 'active';
DROP TYPE account_status;

-- === replace-view-adding-column
-- expect: safe
-- why: CREATE OR REPLACE VIEW may add columns at the end; the previous release's columns answer the same.
-- case:
CREATE OR REPLACE VIEW published_posts AS
    SELECT id, account_id, slug, title, created_at, views FROM posts WHERE published;

-- === replace-view-changing-filter
-- expect: breaking
-- why: the view now also shows unpublished posts: the previous release reads other rows.
-- case:
CREATE OR REPLACE VIEW published_posts AS
    SELECT id, account_id, slug, title, created_at FROM posts;

-- === replace-function-changing-result
-- expect: breaking
-- why: the previous release's handle_slug('Hello World') answers differently.
-- case:
CREATE OR REPLACE FUNCTION handle_slug(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper($1) $$;

-- === replace-function-same-result
-- expect: safe
-- why: a refactoring that answers the same.
-- case:
CREATE OR REPLACE FUNCTION handle_slug(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1)::text $$;

-- === drop-default-old-inserts-rely-on
-- expect: breaking
-- why: the previous release inserts accounts without a plan; plan is NOT NULL.
-- case:
ALTER TABLE accounts ALTER COLUMN plan DROP DEFAULT;

-- === drop-default-on-posts-views
-- expect: breaking
-- why: the previous release inserts posts without views; views is NOT NULL.
-- case:
ALTER TABLE posts ALTER COLUMN views DROP DEFAULT;

-- === drop-default-nullable-column
-- expect: breaking
-- why: body would be NULL for the previous release's new posts, but body is NOT NULL: they fail.
-- case:
ALTER TABLE posts ALTER COLUMN body DROP DEFAULT;

-- === change-default-value
-- expect: breaking
-- why: the previous release's sign-ups now get plan 'trial'.
-- case:
ALTER TABLE accounts ALTER COLUMN plan SET DEFAULT 'trial';

-- === set-default-where-null-was-relied-on
-- expect: breaking
-- why: the previous release's sign-ups read a display name where they had NULL.
-- case:
ALTER TABLE accounts ALTER COLUMN display_name SET DEFAULT 'anonymous';

-- === set-default-on-jsonb
-- expect: breaking
-- why: the previous release's sign-ups read other settings.
-- case:
ALTER TABLE accounts ALTER COLUMN settings SET DEFAULT '{"theme": "light"}';

-- === set-default-on-array
-- expect: breaking
-- why: the previous release's new posts read other tags.
-- case:
ALTER TABLE posts ALTER COLUMN tags SET DEFAULT '{untagged}';

-- === set-default-unobserved-column
-- expect: safe
-- why: a default for rating, which the previous release's writes never read back: nothing it sees changes.
-- case:
ALTER TABLE accounts ALTER COLUMN rating SET DEFAULT 0;

-- === set-volatile-default-on-existing-column
-- expect: safe
-- why: SET DEFAULT never rewrites, whatever the volatility: it applies only to later INSERTs.
-- case:
ALTER TABLE accounts ALTER COLUMN created_at SET DEFAULT clock_timestamp();

-- === drop-default-of-column-without-one
-- expect: safe
-- why: bio has no default: nothing changes.
-- case:
ALTER TABLE accounts ALTER COLUMN bio DROP DEFAULT;

-- === drop-identity
-- expect: breaking
-- why: without the identity, accounts.id has no default and the previous release's sign-ups fail.
-- case:
ALTER TABLE accounts ALTER COLUMN id DROP IDENTITY;

-- === identity-always
-- expect: safe
-- why: GENERATED ALWAYS only refuses explicit ids, which the previous release never sends for accounts.
-- case:
ALTER TABLE accounts ALTER COLUMN id SET GENERATED ALWAYS;

-- === trigger-rewriting-writes
-- expect: breaking
-- why: a BEFORE INSERT trigger changes what the previous release's inserts return.
-- case:
CREATE FUNCTION posts_title_upper() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.title := upper(NEW.title);
    RETURN NEW;
END $$;
CREATE TRIGGER posts_title_upper BEFORE INSERT OR UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION posts_title_upper();

-- === trigger-auditing-writes
-- expect: safe
-- why: an AFTER trigger that records changes elsewhere: CREATE TRIGGER takes SHARE ROW EXCLUSIVE briefly, and
--   the previous release's answers do not change.
-- case:
CREATE TABLE post_changes (post_id bigint, changed_at timestamptz DEFAULT now());
CREATE FUNCTION posts_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO post_changes (post_id) VALUES (NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER posts_record_change AFTER UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION posts_record_change();

-- === truncate-table
-- expect: breaking, locking
-- why: TRUNCATE swaps in an empty relfilenode under ACCESS EXCLUSIVE; the previous release's audit counts change.
-- case:
TRUNCATE audit_events;

-- === delete-all-rows
-- expect: breaking, locking
-- why: DELETE without WHERE locks all 100,000 rows to the commit and empties what the previous release reads.
-- case:
DELETE FROM audit_events;

-- === backfill-all-rows-unobserved
-- expect: locking
-- why: one UPDATE of every account: row locks on 100,000 rows until the commit, though nothing read changes.
-- before:
ALTER TABLE accounts ADD COLUMN email_domain text;
-- case:
UPDATE accounts SET email_domain = split_part(email, '@', 2);

-- === backfill-one-batch
-- expect: safe
-- why: a batch of 500 rows holds its row locks briefly.
-- before:
ALTER TABLE accounts ADD COLUMN email_domain text;
-- case:
UPDATE accounts SET email_domain = split_part(email, '@', 2) WHERE id <= 500;

-- === data-fix-changing-what-old-code-reads
-- expect: breaking
-- why: a targeted data fix (few rows) that changes a value the previous release reads.
-- case:
UPDATE accounts SET display_name = 'Renamed' WHERE id = 42;

-- === insert-reference-rows
-- expect: safe
-- why: inserting new settings the previous release does not read.
-- case:
INSERT INTO settings_kv (key, value) VALUES ('banner', 'hello'), ('motd', 'welcome');

-- === delete-rows-old-code-reads
-- expect: breaking
-- why: removing the theme setting the previous release reads.
-- case:
DELETE FROM settings_kv WHERE key = 'theme';

-- === create-table-as-copy
-- expect: safe
-- why: reading accounts to fill a new table takes ACCESS SHARE only.
-- case:
CREATE TABLE accounts_snapshot AS SELECT id, email, plan FROM accounts;

-- === insert-select-into-new-table
-- expect: safe
-- why: INSERT … SELECT reads posts under ACCESS SHARE.
-- case:
CREATE TABLE post_titles (post_id bigint PRIMARY KEY, title text NOT NULL);
INSERT INTO post_titles SELECT id, title FROM posts;

-- === create-materialized-view
-- expect: safe
-- why: building a materialized view reads posts under ACCESS SHARE.
-- case:
CREATE MATERIALIZED VIEW post_counts AS SELECT account_id, count(*) AS n FROM posts GROUP BY account_id;

-- === refresh-materialized-view
-- expect: locking
-- why: REFRESH without CONCURRENTLY replaces the populated view's data under ACCESS EXCLUSIVE.
-- before:
CREATE MATERIALIZED VIEW post_counts AS SELECT account_id, count(*) AS n FROM posts GROUP BY account_id;
-- case:
REFRESH MATERIALIZED VIEW post_counts;

-- === comment-on-table
-- expect: safe
-- why: comments are catalog-only.
-- case:
COMMENT ON TABLE accounts IS 'people who sign in';
COMMENT ON COLUMN accounts.bio IS 'free text';

-- === grant-select
-- expect: safe
-- why: a new role's grants change nothing for the previous release's role.
-- case:
CREATE ROLE report_reader;
GRANT SELECT ON accounts, posts TO report_reader;

-- === create-new-table
-- expect: safe
-- why: a new table is invisible to the previous release.
-- case:
CREATE TABLE notifications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- === create-new-function-and-view
-- expect: safe
-- why: new objects beside the old ones.
-- case:
CREATE FUNCTION post_score(p posts) RETURNS real LANGUAGE sql STABLE AS $$ SELECT p.score $$;
CREATE VIEW top_posts AS SELECT id, title FROM posts ORDER BY views DESC LIMIT 10;
