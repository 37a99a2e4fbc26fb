-- FOREIGN KEY. ALTER TABLE notes: adding a foreign key "requires a SHARE ROW EXCLUSIVE lock on the referenced
-- table, in addition to the lock on the table on which the constraint is declared" and a scan to verify existing
-- rows unless NOT VALID; VALIDATE CONSTRAINT on a foreign key takes SHARE UPDATE EXCLUSIVE on the table and
-- ROW SHARE on the referenced table. New writes are checked either way.

-- === add-foreign-key-validated-old-writes-orphans
-- expect: breaking, locking
-- why: the verification query reads all 100,000 audit events under SHARE ROW EXCLUSIVE, and the previous release
--   writes audit events for deleted accounts.
-- case:
ALTER TABLE audit_events ADD CONSTRAINT audit_events_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);

-- === add-foreign-key-not-valid-old-writes-orphans
-- expect: breaking
-- why: NOT VALID skips the scan, but the previous release's orphan audit events are refused.
-- case:
ALTER TABLE audit_events ADD CONSTRAINT audit_events_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;

-- === add-second-foreign-key-validated
-- expect: locking
-- why: every post references an existing account, so nothing breaks, but the check reads 200,000 posts under
--   SHARE ROW EXCLUSIVE on posts and accounts.
-- case:
ALTER TABLE posts ADD CONSTRAINT posts_account_fk2 FOREIGN KEY (account_id) REFERENCES accounts (id);

-- === add-foreign-key-not-valid-then-validate-one-transaction
-- expect: locking
-- why: NOT VALID and VALIDATE in one transaction: the SHARE ROW EXCLUSIVE of the first is held during the scan.
-- case:
ALTER TABLE posts ADD CONSTRAINT posts_account_fk2 FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
ALTER TABLE posts VALIDATE CONSTRAINT posts_account_fk2;

-- === validate-foreign-key-alone
-- expect: safe
-- why: VALIDATE alone: SHARE UPDATE EXCLUSIVE on posts, ROW SHARE on accounts; writes continue.
-- before:
ALTER TABLE posts ADD CONSTRAINT posts_account_fk2 FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
-- case:
ALTER TABLE posts VALIDATE CONSTRAINT posts_account_fk2;

-- === add-foreign-key-not-valid-clean
-- expect: safe
-- why: NOT VALID, and every write of the previous release references an existing account.
-- case:
ALTER TABLE posts ADD CONSTRAINT posts_account_fk2 FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;

-- === drop-foreign-key
-- expect: safe
-- why: dropping a foreign key relaxes writes; brief lock, no scan.
-- case:
ALTER TABLE posts DROP CONSTRAINT posts_account_id_fkey;

-- === replace-foreign-key-with-cascade-not-valid
-- expect: safe
-- why: drop and re-add with ON DELETE CASCADE, NOT VALID: no scan; the previous release only deletes accounts
--   without posts, so nothing it sees changes.
-- case:
ALTER TABLE posts DROP CONSTRAINT posts_account_id_fkey;
ALTER TABLE posts ADD CONSTRAINT posts_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE NOT VALID;

-- === new-table-referencing-populated-table
-- expect: safe
-- why: a new, empty table's foreign key takes SHARE ROW EXCLUSIVE on accounts only for a moment; nothing to verify.
-- case:
CREATE TABLE follows (
    follower_id bigint NOT NULL REFERENCES accounts (id),
    followed_id bigint NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (follower_id, followed_id)
);

-- === foreign-key-on-new-table-added-later
-- expect: safe
-- why: the same foreign key added by ALTER TABLE on the new table verifies zero rows.
-- case:
CREATE TABLE bookmarks (account_id bigint NOT NULL, post_id bigint NOT NULL);
ALTER TABLE bookmarks ADD FOREIGN KEY (post_id) REFERENCES posts (id);
