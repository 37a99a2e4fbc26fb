-- npm packages that vals import, resolved when a val is saved and kept here, so every instance runs
-- a version with the same bytes and none needs the registry to serve what was saved.
--
-- Files are stored once by content (sha256 of the bytes), shared by every package version, owner
-- and instance that holds them; a package version lists its files by path. A val version's lock
-- pins what each of its package imports resolved to (Lock.java describes the JSON).
--
-- Expand: new tables only; older code never reads them.
CREATE TABLE app.package_files (
    sha256      bytea   PRIMARY KEY CHECK (octet_length(sha256) = 32),
    size_bytes  integer NOT NULL CHECK (size_bytes >= 0),
    content     bytea   NOT NULL
);

CREATE TABLE app.package_versions (
    name            text        NOT NULL CHECK (name ~ '^(@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~-][a-z0-9._~-]*$' AND length(name) <= 214),
    version         text        NOT NULL CHECK (length(version) BETWEEN 1 AND 256),
    integrity       text        NOT NULL CHECK (integrity ~ '^sha512-'),
    manifest        jsonb       NOT NULL,
    unpacked_bytes  bigint      NOT NULL CHECK (unpacked_bytes >= 0),
    stored_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, version)
);

CREATE TABLE app.package_version_files (
    name     text  NOT NULL,
    version  text  NOT NULL,
    path     text  NOT NULL CHECK (length(path) BETWEEN 1 AND 4096),
    sha256   bytea NOT NULL REFERENCES app.package_files (sha256),
    PRIMARY KEY (name, version, path),
    FOREIGN KEY (name, version) REFERENCES app.package_versions (name, version) ON DELETE CASCADE
);

CREATE TABLE app.val_version_locks (
    val_id          bigint      NOT NULL,
    version         integer     NOT NULL,
    imports_sha256  bytea       NOT NULL CHECK (octet_length(imports_sha256) = 32),
    lock_json       text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (val_id, version),
    FOREIGN KEY (val_id, version) REFERENCES app.val_versions (val_id, version) ON DELETE CASCADE
);

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (8, 'expand', 0, 'npm packages: content-addressed package files, package versions and per-val-version locks');
