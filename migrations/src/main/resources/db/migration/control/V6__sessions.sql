-- Browser sessions: what a signed-in browser's cookie points at (the /ops deploy view today, the web
-- editor later). The cookie carries a random session id; only its SHA-256 is kept here, so a copy of
-- this table signs nobody in. It lives in `control` so signing in keeps working while `app` is
-- mismatched. A subject is a team token (subject_kind 'team', subject_id = control.team_tokens.id)
-- or a val author (subject_kind 'user', subject_id = app.users.id; no foreign key across schemas).
CREATE TABLE control.sessions (
    id_hash       bytea       PRIMARY KEY CHECK (length(id_hash) = 32),
    subject_kind  text        NOT NULL CHECK (subject_kind IN ('team', 'user')),
    subject_id    bigint      NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    client        text        CHECK (length(client) <= 300)
);
CREATE INDEX sessions_subject_idx ON control.sessions (subject_kind, subject_id);
CREATE INDEX sessions_expires_at_idx ON control.sessions (expires_at);

-- Team tokens can be revoked and rotated; a revoked token is kept (with when) so the list shows it.
ALTER TABLE control.team_tokens ADD COLUMN revoked_at timestamptz;
