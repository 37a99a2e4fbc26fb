-- Test only (DeployReplayTest): the incident's contract migration, as a team would write it. It renames
-- a column std/blob reads and writes, so every running build breaks against it; ALTER TABLE takes an
-- ACCESS EXCLUSIVE lock on app.blobs, and the sleep keeps that lock while requests queue behind it, so
-- they resume at the commit against the new schema (what produced 500s in the replayed incident).
ALTER TABLE app.blobs RENAME COLUMN value TO contents;

SELECT pg_sleep(1.5);

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (900, 'contract', 900, 'test: blobs.value renamed to contents');
