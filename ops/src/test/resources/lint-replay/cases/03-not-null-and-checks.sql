-- NOT NULL and CHECK. ALTER TABLE notes: "SET NOT NULL ... will only be granted if the column doesn't contain
-- null values ... a full table scan ... However, if a valid CHECK constraint exists (and is not dropped in the
-- same command) which proves no NULL can exist, then the table scan is skipped." ADD CONSTRAINT CHECK scans
-- under ACCESS EXCLUSIVE unless NOT VALID; "VALIDATE CONSTRAINT ... acquires only a SHARE UPDATE EXCLUSIVE lock".
-- A constraint the previous release's writes violate breaks it whether validated or not: new rows are checked.

-- === set-not-null-old-code-writes-null
-- expect: breaking, locking
-- why: full scan under ACCESS EXCLUSIVE, and the previous release sets display_name to NULL.
-- case:
ALTER TABLE accounts ALTER COLUMN display_name SET NOT NULL;

-- === set-not-null-old-inserts-omit
-- expect: breaking, locking
-- why: the previous release inserts accounts without a rating.
-- case:
ALTER TABLE accounts ALTER COLUMN rating SET NOT NULL;

-- === set-not-null-audit-detail
-- expect: breaking, locking
-- why: the previous release's system events have no detail.
-- case:
ALTER TABLE audit_events ALTER COLUMN detail SET NOT NULL;

-- === set-not-null-always-written
-- expect: locking
-- why: plan is always written (or defaulted) by the previous release, but SET NOT NULL scans 100,000 rows under
--   ACCESS EXCLUSIVE.
-- before:
ALTER TABLE accounts ALTER COLUMN plan DROP NOT NULL;
-- case:
ALTER TABLE accounts ALTER COLUMN plan SET NOT NULL;

-- === set-not-null-proven-by-valid-check
-- expect: safe
-- why: a validated CHECK (plan IS NOT NULL) proves it: the scan is skipped, the lock is brief.
-- before:
ALTER TABLE accounts ALTER COLUMN plan DROP NOT NULL;
ALTER TABLE accounts ADD CONSTRAINT accounts_plan_not_null CHECK (plan IS NOT NULL);
-- case:
ALTER TABLE accounts ALTER COLUMN plan SET NOT NULL;

-- === set-not-null-proven-then-check-dropped
-- expect: safe
-- why: the proving CHECK is dropped by a later statement, after SET NOT NULL used it: still no scan.
-- before:
ALTER TABLE accounts ALTER COLUMN plan DROP NOT NULL;
ALTER TABLE accounts ADD CONSTRAINT accounts_plan_not_null CHECK (plan IS NOT NULL);
-- case:
ALTER TABLE accounts ALTER COLUMN plan SET NOT NULL;
ALTER TABLE accounts DROP CONSTRAINT accounts_plan_not_null;

-- === set-not-null-with-not-valid-check
-- expect: locking
-- why: a NOT VALID CHECK proves nothing: SET NOT NULL still scans.
-- before:
ALTER TABLE accounts ALTER COLUMN plan DROP NOT NULL;
ALTER TABLE accounts ADD CONSTRAINT accounts_plan_not_null CHECK (plan IS NOT NULL) NOT VALID;
-- case:
ALTER TABLE accounts ALTER COLUMN plan SET NOT NULL;

-- === check-not-valid-validate-set-not-null-one-transaction
-- expect: locking
-- why: the recipe's three steps in one transaction: ADD CONSTRAINT takes ACCESS EXCLUSIVE and keeps it to the
--   commit, so the VALIDATE scan runs under it.
-- before:
ALTER TABLE accounts ALTER COLUMN plan DROP NOT NULL;
-- case:
ALTER TABLE accounts ADD CONSTRAINT accounts_plan_not_null CHECK (plan IS NOT NULL) NOT VALID;
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_plan_not_null;
ALTER TABLE accounts ALTER COLUMN plan SET NOT NULL;

-- === validate-then-set-not-null
-- expect: safe
-- why: with the NOT VALID CHECK shipped before, VALIDATE scans under SHARE UPDATE EXCLUSIVE and SET NOT NULL then
--   uses it without a scan.
-- before:
ALTER TABLE accounts ALTER COLUMN plan DROP NOT NULL;
ALTER TABLE accounts ADD CONSTRAINT accounts_plan_not_null CHECK (plan IS NOT NULL) NOT VALID;
-- case:
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_plan_not_null;
ALTER TABLE accounts ALTER COLUMN plan SET NOT NULL;

-- === validate-check-alone
-- expect: safe
-- why: VALIDATE CONSTRAINT reads every row under SHARE UPDATE EXCLUSIVE, which lets writes through.
-- before:
ALTER TABLE posts ADD CONSTRAINT posts_views_check CHECK (views >= 0) NOT VALID;
-- case:
ALTER TABLE posts VALIDATE CONSTRAINT posts_views_check;

-- === drop-not-null
-- expect: safe
-- why: only the catalog changes; every query of the previous release answers as before (the risk is NULLs new
--   code writes later, which the previous release's reads then meet).
-- case:
ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;

-- === add-check-validated-old-writes-pass
-- expect: locking
-- why: a CHECK without NOT VALID scans 100,000 rows under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE accounts ADD CONSTRAINT accounts_balance_cap CHECK (balance_cents < 1000000);

-- === add-check-not-valid-old-writes-pass
-- expect: safe
-- why: NOT VALID: no scan; the previous release only writes free or pro.
-- case:
ALTER TABLE accounts ADD CONSTRAINT accounts_plan_known CHECK (plan IN ('free', 'pro')) NOT VALID;

-- === add-check-not-valid-rejects-old-writes
-- expect: breaking
-- why: NOT VALID skips the scan but checks every new write: the previous release spends balances to zero.
-- case:
ALTER TABLE accounts ADD CONSTRAINT accounts_balance_positive CHECK (balance_cents > 0) NOT VALID;

-- === add-check-not-valid-on-handle-length
-- expect: breaking
-- why: the previous release signs up 31-character handles.
-- case:
ALTER TABLE accounts ADD CONSTRAINT accounts_handle_short CHECK (char_length(handle) <= 30) NOT VALID;

-- === add-check-not-valid-on-login-count
-- expect: breaking
-- why: the previous release writes a login_count of 2,147,483,000.
-- case:
ALTER TABLE accounts ADD CONSTRAINT accounts_logins_sane CHECK (login_count < 1000000) NOT VALID;

-- === add-check-not-valid-rejects-null-detail
-- expect: breaking
-- why: CHECK (detail IS NOT NULL) NOT VALID is the first step of the NOT NULL recipe, but it already refuses the
--   previous release's system events.
-- case:
ALTER TABLE audit_events ADD CONSTRAINT audit_detail_present CHECK (detail IS NOT NULL) NOT VALID;

-- === add-check-and-validate-one-transaction
-- expect: locking
-- why: NOT VALID then VALIDATE in the same transaction: the ACCESS EXCLUSIVE of the first is held during the scan.
-- case:
ALTER TABLE posts ADD CONSTRAINT posts_views_check CHECK (views >= 0) NOT VALID;
ALTER TABLE posts VALIDATE CONSTRAINT posts_views_check;

-- === add-check-on-small-table
-- expect: safe
-- why: validating a CHECK over ten rows is instant.
-- case:
ALTER TABLE settings_kv ADD CONSTRAINT settings_value_present CHECK (value <> '');

-- === drop-check-constraint
-- expect: safe
-- why: dropping a CHECK only relaxes writes; brief lock, no scan.
-- case:
ALTER TABLE accounts DROP CONSTRAINT accounts_balance_check;

-- === rename-check-constraint
-- expect: safe
-- why: no query of the previous release names the CHECK.
-- case:
ALTER TABLE accounts RENAME CONSTRAINT accounts_balance_check TO accounts_balance_not_negative;

-- === drop-unique-constraint-used-by-on-conflict
-- expect: breaking
-- why: the previous release's ON CONFLICT ON CONSTRAINT accounts_email_key names it.
-- case:
ALTER TABLE accounts DROP CONSTRAINT accounts_email_key;

-- === rename-unique-constraint-used-by-on-conflict
-- expect: breaking
-- why: renaming the constraint (and its index) breaks ON CONFLICT ON CONSTRAINT accounts_email_key.
-- case:
ALTER TABLE accounts RENAME CONSTRAINT accounts_email_key TO accounts_email_unique;

-- === check-on-new-table
-- expect: safe
-- why: a table created in the migration is empty and unknown to the previous release.
-- case:
CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint NOT NULL, total_cents integer NOT NULL);
ALTER TABLE invoices ADD CONSTRAINT invoices_total_check CHECK (total_cents >= 0);
ALTER TABLE invoices ALTER COLUMN account_id SET NOT NULL;
