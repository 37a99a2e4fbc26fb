-- Most runs of a busy HTTP val are silent successes: no logs, no error, five numbers each. Written
-- one row each, PostgreSQL spent more CPU per run (the foreign-key check, two index entries, WAL:
-- ~20 µs) than running the val took. The recorder now writes them as groups: one row per val per
-- written batch, the runs' fields as parallel arrays ordered by start. Every run is still recorded,
-- listed and found by its id (ids come from app.runs' sequence, so they stay unique across both
-- tables); runs with logs, an error or any other outcome or trigger stay a row each in app.runs.
-- Expand: older code keeps writing and reading app.runs and does not see the grouped runs.

CREATE TABLE app.run_groups (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    val_id            bigint      NOT NULL REFERENCES app.vals (id) ON DELETE CASCADE,
    run_ids           int8range   NOT NULL,
    first_started_at  timestamptz NOT NULL,
    last_started_at   timestamptz NOT NULL,
    ids               bigint[]    NOT NULL,
    versions          integer[]   NOT NULL,
    statuses          integer[]   NOT NULL,
    started_us        bigint[]    NOT NULL,  -- microseconds since 1970-01-01 UTC
    durations_ms      float8[]    NOT NULL,
    CHECK (cardinality(ids) > 0
           AND cardinality(versions) = cardinality(ids)
           AND cardinality(statuses) = cardinality(ids)
           AND cardinality(started_us) = cardinality(ids)
           AND cardinality(durations_ms) = cardinality(ids)),
    CHECK (first_started_at <= last_started_at)
);
-- The arrays are stored uncompressed: compressing them cost PostgreSQL more CPU than writing the bytes.
ALTER TABLE app.run_groups
    ALTER COLUMN ids SET STORAGE EXTERNAL,
    ALTER COLUMN versions SET STORAGE EXTERNAL,
    ALTER COLUMN statuses SET STORAGE EXTERNAL,
    ALTER COLUMN started_us SET STORAGE EXTERNAL,
    ALTER COLUMN durations_ms SET STORAGE EXTERNAL;
-- newest groups of a val first (the runs list); the group holding a run id (GET .../runs/{id})
CREATE INDEX run_groups_val_last_idx ON app.run_groups (val_id, last_started_at DESC);
CREATE INDEX run_groups_run_ids_idx ON app.run_groups USING gist (run_ids);

-- Run ids are taken in blocks: each nextval reserves 1024 ids, which the runtime hands out itself
-- (a nextval per run was a large part of the cost). Older code that takes a nextval per run keeps
-- unique ids; it only skips the rest of each block.
ALTER SEQUENCE app.runs_id_seq INCREMENT BY 1024;

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (3, 'expand', 0, 'silent successful HTTP runs are recorded in groups, one row per val per batch');
