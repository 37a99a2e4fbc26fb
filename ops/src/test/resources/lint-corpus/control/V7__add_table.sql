-- expect: none
CREATE TABLE control.maintenance_windows (
    id text PRIMARY KEY,
    starts_at timestamptz NOT NULL
);
CREATE INDEX maintenance_windows_starts_idx ON control.maintenance_windows (starts_at);
