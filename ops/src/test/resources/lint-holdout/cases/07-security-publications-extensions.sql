-- Row-level security, privileges, ownership, publications and extensions. The previous release reads and
-- writes notes as role shop_app (through notes_seen_by_app() and note_written_by_app()). "Row Security
-- Policies": with RLS enabled and no policy, a non-owner sees no rows and may write none; the table owner
-- bypasses RLS unless FORCE ROW LEVEL SECURITY. "Logical Replication: Publication": a table published for
-- UPDATE or DELETE without a replica identity refuses those statements.

-- === hold-enable-rls-without-policy
-- expect: breaking
-- why: Default deny: shop_app sees no notes and its INSERT violates row-level security.
-- case:
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;

-- === hold-enable-rls-with-permissive-policy
-- expect: safe
-- why: A policy letting shop_app see and write every row keeps every answer.
-- case:
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_app_all ON notes TO shop_app USING (true) WITH CHECK (true);

-- === hold-enable-rls-with-own-rows-policy
-- expect: breaking
-- why: A policy restricting shop_app to its own notes changes the count it reads (its INSERT still passes).
-- case:
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_own ON notes USING (author = current_user) WITH CHECK (author = current_user);

-- === hold-alter-policy-narrowing
-- expect: breaking
-- why: ALTER POLICY replaces the USING expression at once: shop_app's view of the notes shrinks.
-- before:
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_app_all ON notes TO shop_app USING (true) WITH CHECK (true);
-- case:
ALTER POLICY notes_app_all ON notes USING (author = 'shop_app');

-- === hold-restrictive-policy-added
-- expect: breaking
-- why: A RESTRICTIVE policy is ANDed with the permissive ones: shop_app's INSERT with id 900001 is refused.
-- before:
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_app_all ON notes TO shop_app USING (true) WITH CHECK (true);
-- case:
CREATE POLICY notes_ids_capped ON notes AS RESTRICTIVE USING (true) WITH CHECK (id < 100000);

-- === hold-drop-policy-leaves-default-deny
-- expect: breaking
-- why: With RLS still enabled and the only policy gone, shop_app sees nothing and writes nothing.
-- before:
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_app_all ON notes TO shop_app USING (true) WITH CHECK (true);
-- case:
DROP POLICY notes_app_all ON notes;

-- === hold-disable-rls
-- expect: breaking
-- why: Turning RLS off shows shop_app the notes its policy hid: its count grows.
-- before:
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_own ON notes USING (author = current_user) WITH CHECK (author = current_user);
-- case:
ALTER TABLE notes DISABLE ROW LEVEL SECURITY;

-- === hold-force-rls-owner-is-not-the-app
-- expect: safe
-- why: FORCE ROW LEVEL SECURITY only subjects the owner; shop_app is not the owner and RLS is not enabled.
-- case:
ALTER TABLE notes FORCE ROW LEVEL SECURITY;

-- === hold-owner-change-bypasses-policy
-- expect: breaking
-- why: Once shop_app owns notes it bypasses the table's policies (no FORCE): it now counts every note.
-- before:
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_own ON notes USING (author = current_user) WITH CHECK (author = current_user);
-- case:
ALTER TABLE notes OWNER TO shop_app;

-- === hold-revoke-insert-from-app
-- expect: breaking
-- why: shop_app's INSERT into notes is refused with "permission denied".
-- case:
REVOKE INSERT ON notes FROM shop_app;

-- === hold-revoke-select-from-app
-- expect: breaking
-- why: shop_app can no longer read notes.
-- case:
REVOKE SELECT ON notes FROM shop_app;

-- === hold-grant-more-to-app
-- expect: safe
-- why: Granting more privileges changes nothing the previous release did.
-- case:
GRANT SELECT, INSERT ON orders TO shop_app;
GRANT DELETE ON notes TO shop_app;

-- === hold-revoke-from-public-app-has-own-grant
-- expect: safe
-- why: shop_app holds its own grants on notes; revoking PUBLIC's (none) does not touch them.
-- case:
REVOKE ALL ON notes FROM PUBLIC;

-- === hold-column-privilege-revoked
-- expect: breaking
-- why: Table-level SELECT is replaced by column-level SELECT without author: shop_app's count FILTER on author
--   is refused.
-- case:
REVOKE SELECT ON notes FROM shop_app;
GRANT SELECT (id, body) ON notes TO shop_app;

-- === hold-default-privileges
-- expect: safe
-- why: ALTER DEFAULT PRIVILEGES applies to objects created later only.
-- case:
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO shop_app;

-- === hold-publication-of-table-without-replica-identity
-- expect: breaking
-- why: readings has no primary key; once published for deletes, the previous release's DELETE is refused
--   ("cannot delete from table because it does not have a replica identity and publishes deletes").
-- case:
CREATE PUBLICATION shop_readings FOR TABLE readings;

-- === hold-publication-inserts-only
-- expect: safe
-- why: publish = 'insert' needs no replica identity for UPDATE or DELETE: the previous release's delete passes.
-- case:
CREATE PUBLICATION shop_readings FOR TABLE readings WITH (publish = 'insert');

-- === hold-publication-of-table-with-primary-key
-- expect: safe
-- why: orders has a primary key, its default replica identity: updates and deletes go on.
-- case:
CREATE PUBLICATION shop_orders FOR TABLE orders;

-- === hold-publication-for-all-tables
-- expect: breaking
-- why: FOR ALL TABLES includes readings, which has no replica identity: the previous release's delete fails.
-- case:
CREATE PUBLICATION shop_everything FOR ALL TABLES;

-- === hold-replica-identity-nothing-on-published-table
-- expect: breaking
-- why: orders is published for updates; REPLICA IDENTITY NOTHING makes its UPDATE and DELETE fail.
-- before:
CREATE PUBLICATION shop_orders FOR TABLE orders;
-- case:
ALTER TABLE orders REPLICA IDENTITY NOTHING;

-- === hold-replica-identity-full
-- expect: safe
-- why: FULL logs whole old rows; statements behave as before, nothing is rewritten.
-- before:
CREATE PUBLICATION shop_orders FOR TABLE orders;
-- case:
ALTER TABLE orders REPLICA IDENTITY FULL;

-- === hold-replica-identity-using-unique-index
-- expect: safe
-- why: A replica identity from an existing unique index on NOT NULL columns is catalog only.
-- before:
CREATE PUBLICATION shop_products FOR TABLE products;
-- case:
ALTER TABLE products REPLICA IDENTITY USING INDEX products_sku_key;

-- === hold-create-extension-and-trigram-index-concurrently
-- expect: safe
-- why: CREATE EXTENSION touches the catalog; the trigram index is built concurrently.
-- case:
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX CONCURRENTLY products_title_trgm_idx ON products USING gin (title gin_trgm_ops);

-- === hold-create-extension-and-trigram-index
-- expect: locking
-- why: The same GIN index built without CONCURRENTLY holds SHARE on products while it reads every title.
-- case:
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX products_title_trgm_idx ON products USING gin (title gin_trgm_ops);

-- === hold-drop-extension-the-old-release-uses
-- expect: breaking
-- why: The previous release compares with citext; DROP EXTENSION removes the type.
-- before:
CREATE EXTENSION IF NOT EXISTS citext;
-- case:
DROP EXTENSION citext;
-- old:
SELECT 'Shop'::citext = 'SHOP';

-- === hold-update-extension-noop
-- expect: safe
-- why: ALTER EXTENSION ... UPDATE to the installed version does nothing.
-- before:
CREATE EXTENSION IF NOT EXISTS citext;
-- case:
ALTER EXTENSION citext UPDATE;
