-- Baseline of the app schema: users, API tokens, vals with immutable versions, runs, env vars, blobs.
--
-- Every app migration ends by recording its declaration in control.schema_contract: 'expand' (code
-- of any level keeps working, minimum 0) or 'contract' (code below the given level breaks). The
-- build refuses a migration without it, and because the migration itself writes the row, the
-- declaration is recorded whichever Flyway client runs it.

CREATE TABLE app.users (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9_-]{1,64}$'),
    role        text        NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Only a SHA-256 hash of each token is stored; the token itself is shown once, at creation.
CREATE TABLE app.api_tokens (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint      NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    name          text        NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    token_hash    bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    token_prefix  text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz
);
CREATE INDEX api_tokens_user_idx ON app.api_tokens (user_id);

CREATE TABLE app.vals (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id        bigint      NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    name            text        NOT NULL CHECK (name ~ '^[a-z0-9_-]{1,64}$'),
    type            text        NOT NULL CHECK (type IN ('http', 'cron', 'script', 'email')),
    privacy         text        NOT NULL DEFAULT 'public' CHECK (privacy IN ('public', 'unlisted', 'private')),
    schedule        text,
    latest_version  integer     NOT NULL DEFAULT 0 CHECK (latest_version >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_id, name),
    CHECK ((type = 'cron') = (schedule IS NOT NULL))
);

-- Versions are immutable: a save inserts the next number, nothing updates a row.
CREATE TABLE app.val_versions (
    val_id      bigint      NOT NULL REFERENCES app.vals (id) ON DELETE CASCADE,
    version     integer     NOT NULL CHECK (version > 0),
    code        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (val_id, version)
);

CREATE TABLE app.runs (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    val_id       bigint      NOT NULL REFERENCES app.vals (id) ON DELETE CASCADE,
    version      integer     NOT NULL CHECK (version > 0),
    trigger      text        NOT NULL CHECK (trigger IN ('http', 'cron', 'script', 'email')),
    outcome      text        NOT NULL CHECK (outcome IN ('success', 'error', 'timeout', 'cancelled', 'limit')),
    http_status  integer     CHECK (http_status BETWEEN 100 AND 599),
    started_at   timestamptz NOT NULL,
    duration_ms  double precision NOT NULL CHECK (duration_ms >= 0),
    logs         text        NOT NULL DEFAULT '',
    error        text
);
CREATE INDEX runs_val_started_idx ON app.runs (val_id, started_at DESC);

CREATE TABLE app.env_vars (
    user_id     bigint      NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    key         text        NOT NULL CHECK (key ~ '^[A-Za-z_][A-Za-z0-9_]{0,127}$'),
    value       text        NOT NULL CHECK (length(value) <= 65536),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

CREATE TABLE app.blobs (
    owner_id      bigint      NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 512),
    value         bytea       NOT NULL,
    content_type  text        NOT NULL DEFAULT 'application/octet-stream',
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, key)
);

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (1, 'expand', 0, 'users, vals, runs');
