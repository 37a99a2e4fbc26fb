-- Test only: the incident's contract migration. It takes app.blobs' ACCESS EXCLUSIVE lock first, so
-- std/blob queries queue behind it, waits for the test's advisory lock 4901 (the test lets go once the
-- queue is there), then renames the column std/blob reads and declares that code below 901 breaks.
LOCK TABLE app.blobs IN ACCESS EXCLUSIVE MODE;
SELECT pg_advisory_xact_lock(4901);
ALTER TABLE app.blobs RENAME COLUMN value TO stored_value;

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (901, 'contract', 901, 'test: app.blobs.value renamed under a lock');
