-- The control schema is expand-only, forever: every build, old or new, must be able to read and
-- write it, so heartbeats and the status page keep working while `app` is mismatched.

-- One row per running runtime instance, refreshed every few seconds.
CREATE TABLE control.instances (
    instance_id   text        PRIMARY KEY,
    host          text        NOT NULL,
    build_id      text        NOT NULL,
    code_level    integer     NOT NULL CHECK (code_level >= 0),
    code_minimum  integer     NOT NULL CHECK (code_minimum >= 0),
    verdict       text        NOT NULL,
    reason_code   text,
    started_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL
);
CREATE INDEX instances_last_seen_idx ON control.instances (last_seen_at DESC);

-- The schema contract: every applied `app` migration records here whether it is an expand or a
-- contract migration and the lowest code level that can still run against the schema after it.
-- The migration itself inserts its row, so the declaration lands whichever Flyway client runs it.
CREATE TABLE control.schema_contract (
    version         integer     PRIMARY KEY CHECK (version > 0),
    kind            text        NOT NULL CHECK (kind IN ('expand', 'contract')),
    min_code_level  integer     NOT NULL CHECK (min_code_level >= 0),
    description     text        NOT NULL DEFAULT '',
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
