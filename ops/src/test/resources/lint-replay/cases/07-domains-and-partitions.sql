-- Domains and partitions. ALTER TABLE notes: no rewrite when "the old type is either binary coercible to the new
-- type or an unconstrained domain over the new type"; a constrained domain must be checked against every row.
-- ALTER DOMAIN ADD CONSTRAINT checks every column of the domain's type unless NOT VALID. ATTACH PARTITION scans
-- the table being attached under ACCESS EXCLUSIVE "unless a valid CHECK constraint" implies the partition
-- bound; a new partition beside a DEFAULT partition makes PostgreSQL scan the default one.

-- === column-to-unconstrained-domain
-- expect: safe
-- why: integer to an unconstrained domain over integer: no rewrite, and the values read back are the same.
-- case:
CREATE DOMAIN counter AS integer;
ALTER TABLE accounts ALTER COLUMN login_count TYPE counter;

-- === column-with-check-to-unconstrained-domain
-- expect: locking
-- why: no rewrite, but a type change drops and re-adds the column's CHECK constraints (accounts_balance_check),
--   and a re-added CHECK is verified against every row under ACCESS EXCLUSIVE.
-- case:
CREATE DOMAIN cents AS integer;
ALTER TABLE accounts ALTER COLUMN balance_cents TYPE cents;

-- === widen-varchar-of-column-with-check
-- expect: locking
-- why: the widening itself is a no-op, but the CHECK on handle is re-added and re-verified on every row.
-- before:
ALTER TABLE accounts ADD CONSTRAINT accounts_handle_not_blank CHECK (handle <> '');
-- case:
ALTER TABLE accounts ALTER COLUMN handle TYPE varchar(60);

-- === column-to-constrained-domain
-- expect: locking
-- why: a domain with a CHECK must be verified for every existing value: the table is rewritten.
-- case:
CREATE DOMAIN cents AS integer CHECK (VALUE < 1000000);
ALTER TABLE accounts ALTER COLUMN balance_cents TYPE cents;

-- === domain-add-constraint
-- expect: locking
-- why: ALTER DOMAIN ADD CONSTRAINT reads every row of accounts under a lock that stops writes.
-- before:
CREATE DOMAIN cents AS integer;
ALTER TABLE accounts ALTER COLUMN balance_cents TYPE cents;
-- case:
ALTER DOMAIN cents ADD CONSTRAINT cents_cap CHECK (VALUE < 1000000);

-- === domain-add-constraint-not-valid
-- expect: safe
-- why: NOT VALID: existing values are not checked; the previous release's balances pass.
-- before:
CREATE DOMAIN cents AS integer;
ALTER TABLE accounts ALTER COLUMN balance_cents TYPE cents;
-- case:
ALTER DOMAIN cents ADD CONSTRAINT cents_cap CHECK (VALUE < 1000000) NOT VALID;

-- === domain-add-constraint-not-valid-rejects-old-writes
-- expect: breaking
-- why: the new domain CHECK refuses the previous release's zero balances, valid or not.
-- before:
CREATE DOMAIN cents AS integer;
ALTER TABLE accounts ALTER COLUMN balance_cents TYPE cents;
-- case:
ALTER DOMAIN cents ADD CONSTRAINT cents_positive CHECK (VALUE > 0) NOT VALID;

-- === domain-rename
-- expect: safe
-- why: no query of the previous release names the domain; columns follow it by oid.
-- before:
CREATE DOMAIN cents AS integer;
ALTER TABLE accounts ALTER COLUMN balance_cents TYPE cents;
-- case:
ALTER DOMAIN cents RENAME TO money_cents;

-- === attach-partition-without-proof
-- expect: locking
-- why: PostgreSQL scans the 100,000 rows being attached to prove they fit the bound, holding ACCESS EXCLUSIVE on
--   them.
-- before:
CREATE TABLE events (at timestamptz NOT NULL, kind text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2025 (LIKE events);
INSERT INTO events_2025 SELECT at, kind FROM audit_events;
-- case:
ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01 00:00+00') TO ('2026-01-01 00:00+00');
-- old:
SELECT count(*) FROM events_2025;

-- === attach-partition-with-proving-check
-- expect: safe
-- why: a valid CHECK constraint that implies the bound lets PostgreSQL skip the scan.
-- before:
CREATE TABLE events (at timestamptz NOT NULL, kind text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2025 (LIKE events);
INSERT INTO events_2025 SELECT at, kind FROM audit_events;
ALTER TABLE events_2025 ADD CONSTRAINT events_2025_bound
    CHECK (at >= '2025-01-01 00:00+00' AND at < '2026-01-01 00:00+00');
-- case:
ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01 00:00+00') TO ('2026-01-01 00:00+00');
-- old:
SELECT count(*) FROM events_2025;

-- === new-partition-beside-populated-default
-- expect: locking
-- why: creating a partition when a DEFAULT partition exists scans the default partition, under ACCESS EXCLUSIVE,
--   for rows that would now belong to the new one.
-- before:
CREATE TABLE events (at timestamptz NOT NULL, kind text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_other PARTITION OF events DEFAULT;
INSERT INTO events SELECT at, kind FROM audit_events;
-- case:
CREATE TABLE events_2030 PARTITION OF events FOR VALUES FROM ('2030-01-01 00:00+00') TO ('2031-01-01 00:00+00');
-- old:
SELECT count(*) FROM events;

-- === detach-partition-old-code-reads-parent
-- expect: breaking
-- why: the previous release counts events through the parent; the detached rows disappear from its answer.
-- before:
CREATE TABLE events (at timestamptz NOT NULL, kind text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01 00:00+00') TO ('2026-01-01 00:00+00');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01 00:00+00') TO ('2027-01-01 00:00+00');
INSERT INTO events SELECT at, kind FROM audit_events;
-- case:
ALTER TABLE events DETACH PARTITION events_2025 CONCURRENTLY;
-- old:
SELECT count(*) FROM events;
