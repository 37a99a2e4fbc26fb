-- Partitioned tables. "Table Partitioning" and ALTER TABLE's notes: ATTACH PARTITION takes SHARE UPDATE
-- EXCLUSIVE on the parent and ACCESS EXCLUSIVE on the attached table, which it scans unless a valid CHECK
-- proves the bound; a new partition beside a DEFAULT partition scans the default one; DETACH removes rows
-- from the parent's answers; DDL on the parent recurses to every partition.

-- === hold-attach-partition-scans
-- expect: locking
-- why: Without a CHECK proving the bound, ATTACH reads all 5,000 rows of readings_2026 under ACCESS EXCLUSIVE.
-- before:
CREATE TABLE readings_2026 (LIKE readings INCLUDING ALL);
INSERT INTO readings_2026 SELECT 1000 + g % 100, date '2026-01-01' + g % 365, g FROM generate_series(1, 5000) g;
-- case:
ALTER TABLE readings ATTACH PARTITION readings_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

-- === hold-attach-partition-proven-by-check
-- expect: safe
-- why: A valid CHECK that implies the partition bound lets ATTACH skip the scan.
-- before:
CREATE TABLE readings_2026 (LIKE readings INCLUDING ALL);
INSERT INTO readings_2026 SELECT 1000 + g % 100, date '2026-01-01' + g % 365, g FROM generate_series(1, 5000) g;
ALTER TABLE readings_2026 ADD CONSTRAINT readings_2026_bound
    CHECK (taken_at IS NOT NULL AND taken_at >= '2026-01-01' AND taken_at < '2027-01-01');
-- case:
ALTER TABLE readings ATTACH PARTITION readings_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

-- === hold-attach-partition-with-sensor-seven-changes-sums
-- expect: breaking
-- why: Attached rows become part of readings: the previous release's sum for sensor 7 grows. The bound is
--   proven, so nothing is scanned.
-- before:
CREATE TABLE readings_2026 (LIKE readings INCLUDING ALL);
INSERT INTO readings_2026 VALUES (7, '2026-03-01', 2.5);
ALTER TABLE readings_2026 ADD CONSTRAINT readings_2026_bound
    CHECK (taken_at IS NOT NULL AND taken_at >= '2026-01-01' AND taken_at < '2027-01-01');
-- case:
ALTER TABLE readings ATTACH PARTITION readings_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

-- === hold-create-partition-of
-- expect: safe
-- why: A new empty partition for a range nobody has written: nothing to scan, no DEFAULT partition.
-- case:
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

-- === hold-create-default-partition
-- expect: safe
-- why: An empty DEFAULT partition: every existing row already has its partition.
-- case:
CREATE TABLE readings_other PARTITION OF readings DEFAULT;

-- === hold-new-partition-beside-populated-default
-- expect: locking
-- why: The DEFAULT partition must not hold rows of the new range: PostgreSQL scans its 2,000 rows while it
--   holds ACCESS EXCLUSIVE on it.
-- before:
CREATE TABLE readings_other PARTITION OF readings DEFAULT;
INSERT INTO readings SELECT g % 100, date '2027-01-01' + g % 365, g FROM generate_series(1, 2000) g;
-- case:
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

-- === hold-detach-partition
-- expect: breaking
-- why: readings_2024's rows leave readings: the previous release's count and sum for sensor 7 shrink.
-- case:
ALTER TABLE readings DETACH PARTITION readings_2024;

-- === hold-detach-partition-concurrently
-- expect: breaking
-- why: CONCURRENTLY avoids the ACCESS EXCLUSIVE on the parent, not the missing rows.
-- case:
ALTER TABLE readings DETACH PARTITION readings_2024 CONCURRENTLY;

-- === hold-drop-partition
-- expect: breaking
-- why: Dropping a partition drops its rows from every answer on readings.
-- case:
DROP TABLE readings_2024;

-- === hold-add-column-volatile-default-on-partitioned-table
-- expect: locking
-- why: The volatile default recurses to every partition and rewrites each under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE readings ADD COLUMN reading_id uuid DEFAULT gen_random_uuid();

-- === hold-add-column-constant-default-on-partitioned-table
-- expect: safe
-- why: A constant default is a catalog change on the parent and each partition.
-- case:
ALTER TABLE readings ADD COLUMN unit text NOT NULL DEFAULT 'C';

-- === hold-add-check-on-partitioned-table
-- expect: locking
-- why: A CHECK on the parent is verified on every partition, each scanned under ACCESS EXCLUSIVE.
-- case:
ALTER TABLE readings ADD CONSTRAINT readings_value_nonnegative CHECK (value >= 0);

-- === hold-add-not-valid-checks-per-partition
-- expect: safe
-- why: One NOT VALID check per partition: existing rows are not scanned, each lock is brief.
-- case:
ALTER TABLE readings_2024 ADD CONSTRAINT readings_2024_value_nonnegative CHECK (value >= 0) NOT VALID;
ALTER TABLE readings_2025 ADD CONSTRAINT readings_2025_value_nonnegative CHECK (value >= 0) NOT VALID;

-- === hold-set-not-null-on-partitioned-table
-- expect: locking
-- why: SET NOT NULL on the parent recurses: each partition is scanned under ACCESS EXCLUSIVE (the column has
--   a default, so the previous release's inserts still fill it).
-- before:
ALTER TABLE readings ADD COLUMN unit text DEFAULT 'C';
-- case:
ALTER TABLE readings ALTER COLUMN unit SET NOT NULL;
