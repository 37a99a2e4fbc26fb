-- Indexes and table maintenance. CREATE INDEX: "locks out writes (but not reads) on the table" (SHARE) while it
-- builds; CONCURRENTLY takes SHARE UPDATE EXCLUSIVE. DROP INDEX takes ACCESS EXCLUSIVE briefly (no work per row),
-- but the previous release's INSERT … ON CONFLICT (columns) needs a unique index that matches exactly ("index
-- inference"), or it fails. REINDEX, CLUSTER, VACUUM FULL and SET UNLOGGED rewrite.

-- === create-unique-index-plain
-- expect: locking
-- why: a plain CREATE UNIQUE INDEX holds SHARE on accounts while it reads every row.
-- case:
CREATE UNIQUE INDEX accounts_email_lower_idx ON accounts (lower(email));

-- === create-unique-index-concurrently
-- expect: safe
-- why: CONCURRENTLY: SHARE UPDATE EXCLUSIVE; all slugs (and the previous release's) are distinct.
-- case:
CREATE UNIQUE INDEX CONCURRENTLY posts_slug_idx ON posts (slug);

-- === create-partial-index-plain
-- expect: locking
-- why: a partial index still reads every row to find the matching ones, under SHARE.
-- case:
CREATE INDEX posts_published_idx ON posts (created_at) WHERE published;

-- === create-index-on-small-table
-- expect: safe
-- why: ten rows: the SHARE lock lasts no time.
-- case:
CREATE INDEX settings_value_idx ON settings_kv (value);

-- === create-index-on-new-table
-- expect: safe
-- why: a table created in the same migration is empty.
-- case:
CREATE TABLE tags (id bigint PRIMARY KEY, name text NOT NULL);
CREATE UNIQUE INDEX tags_name_idx ON tags (name);

-- === add-unique-constraint-plain
-- expect: locking
-- why: ADD CONSTRAINT … UNIQUE builds its index while ALTER TABLE holds ACCESS EXCLUSIVE.
-- case:
ALTER TABLE posts ADD CONSTRAINT posts_slug_key UNIQUE (slug);

-- === add-primary-key-rebuild
-- expect: locking
-- why: replacing audit_events' primary key builds a new unique index over 100,000 rows under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE audit_events DROP CONSTRAINT audit_events_pkey;
ALTER TABLE audit_events ADD PRIMARY KEY (id);

-- === unique-constraint-using-concurrent-index
-- expect: safe
-- why: the index is built CONCURRENTLY, then attached with USING INDEX: a brief lock, no scan.
-- case:
CREATE UNIQUE INDEX CONCURRENTLY posts_slug_idx ON posts (slug);
ALTER TABLE posts ADD CONSTRAINT posts_slug_key UNIQUE USING INDEX posts_slug_idx;

-- === existing-unique-index-becomes-constraint
-- expect: safe
-- why: USING INDEX on the existing accounts_handle_idx: the index is renamed, not rebuilt; ON CONFLICT (handle)
--   still infers it.
-- case:
ALTER TABLE accounts ADD CONSTRAINT accounts_handle_key UNIQUE USING INDEX accounts_handle_idx;

-- === drop-index-used-by-upsert
-- expect: breaking
-- why: the previous release's ON CONFLICT (handle) finds no matching unique index.
-- case:
DROP INDEX accounts_handle_idx;

-- === drop-index-concurrently-used-by-upsert
-- expect: breaking
-- why: CONCURRENTLY spares the lock, not the previous release's upsert.
-- case:
DROP INDEX CONCURRENTLY accounts_handle_idx;

-- === drop-unused-index
-- expect: safe
-- why: a brief ACCESS EXCLUSIVE and no work per row; no query depends on the index.
-- case:
DROP INDEX accounts_created_at_idx;

-- === drop-unused-index-concurrently
-- expect: safe
-- why: SHARE UPDATE EXCLUSIVE, no work per row.
-- case:
DROP INDEX CONCURRENTLY accounts_created_at_idx;

-- === replace-unique-index-with-partial
-- expect: breaking
-- why: ON CONFLICT (handle) without a WHERE cannot infer a partial unique index.
-- case:
CREATE UNIQUE INDEX CONCURRENTLY accounts_open_handle_idx ON accounts (handle) WHERE status <> 'closed';
DROP INDEX CONCURRENTLY accounts_handle_idx;

-- === replace-unique-index-with-expression
-- expect: breaking
-- why: a unique index on lower(handle) does not match ON CONFLICT (handle).
-- case:
CREATE UNIQUE INDEX CONCURRENTLY accounts_handle_lower_idx ON accounts (lower(handle));
DROP INDEX CONCURRENTLY accounts_handle_idx;

-- === replace-unique-index-with-wider-one
-- expect: breaking
-- why: unique (account_id, slug, title) does not match ON CONFLICT (account_id, slug).
-- case:
CREATE UNIQUE INDEX CONCURRENTLY posts_account_slug_title_idx ON posts (account_id, slug, title);
DROP INDEX CONCURRENTLY posts_account_slug_idx;

-- === replace-unique-index-with-same-columns
-- expect: safe
-- why: an equivalent unique index on (handle) built first keeps ON CONFLICT (handle) inferable.
-- case:
CREATE UNIQUE INDEX CONCURRENTLY accounts_handle_v2_idx ON accounts (handle);
DROP INDEX CONCURRENTLY accounts_handle_idx;

-- === rename-index
-- expect: safe
-- why: ON CONFLICT (handle) infers the index by its columns, not its name.
-- case:
ALTER INDEX accounts_handle_idx RENAME TO accounts_handle_unique;

-- === index-set-fillfactor
-- expect: safe
-- why: changing an index's storage parameter affects future pages; nothing is rebuilt.
-- case:
ALTER INDEX posts_account_id_idx SET (fillfactor = 70);

-- === reindex-index
-- expect: locking
-- why: REINDEX rebuilds the index (new relfilenode) holding SHARE on the table.
-- case:
REINDEX INDEX posts_account_id_idx;

-- === reindex-index-concurrently
-- expect: safe
-- why: REINDEX CONCURRENTLY builds a new index beside the old one under SHARE UPDATE EXCLUSIVE.
-- case:
REINDEX INDEX CONCURRENTLY posts_account_id_idx;

-- === reindex-table
-- expect: locking
-- why: every index of accounts rebuilt under SHARE.
-- case:
REINDEX TABLE accounts;

-- === cluster-table
-- expect: locking
-- why: CLUSTER rewrites the table in index order under ACCESS EXCLUSIVE.
-- case:
CLUSTER posts USING posts_account_id_idx;

-- === vacuum-full
-- expect: locking
-- why: VACUUM FULL rewrites the table under ACCESS EXCLUSIVE (outside a transaction).
-- case:
VACUUM FULL audit_events;

-- === vacuum-analyze
-- expect: safe
-- why: plain VACUUM and ANALYZE take SHARE UPDATE EXCLUSIVE.
-- case:
VACUUM ANALYZE accounts;

-- === analyze
-- expect: safe
-- why: ANALYZE samples rows under SHARE UPDATE EXCLUSIVE.
-- case:
ANALYZE posts;

-- === set-table-fillfactor
-- expect: safe
-- why: a storage parameter: SHARE UPDATE EXCLUSIVE, no rewrite.
-- case:
ALTER TABLE posts SET (fillfactor = 80);

-- === set-autovacuum-parameter
-- expect: safe
-- why: autovacuum settings: SHARE UPDATE EXCLUSIVE.
-- case:
ALTER TABLE audit_events SET (autovacuum_vacuum_scale_factor = 0.05);

-- === set-unlogged
-- expect: locking
-- why: SET UNLOGGED rewrites the table into a new relfilenode under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE audit_events SET UNLOGGED;

-- === set-statistics
-- expect: safe
-- why: SET STATISTICS only changes the catalog (SHARE UPDATE EXCLUSIVE).
-- case:
ALTER TABLE accounts ALTER COLUMN email SET STATISTICS 500;

-- === set-storage
-- expect: safe
-- why: SET STORAGE changes how future values are stored; existing rows are not touched.
-- case:
ALTER TABLE posts ALTER COLUMN body SET STORAGE EXTERNAL;

-- === replica-identity-full
-- expect: safe
-- why: only the catalog changes.
-- case:
ALTER TABLE posts REPLICA IDENTITY FULL;
