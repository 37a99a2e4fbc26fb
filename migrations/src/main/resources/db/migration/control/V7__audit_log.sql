-- Who changed what: one row per created, changed or deleted val, token, user, env var, incident or
-- component, written by the runtime's authoring API and the status page's write routes. It lives in
-- `control` so the status page keeps recording while `app` is mismatched, and names the actor by
-- name (not by a key into app.users) so that rows outlive the users and tokens they mention.
CREATE TABLE control.audit_log (
    id          bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL CHECK (length(actor) BETWEEN 1 AND 300),
    actor_kind  text        NOT NULL CHECK (actor_kind IN ('user', 'team')),
    action      text        NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    target      text        NOT NULL CHECK (length(target) <= 500),
    address     text        CHECK (length(address) <= 100),
    detail      text        CHECK (length(detail) <= 2000)
);
-- the API pages newest first by id, filtered by actor, action or time
CREATE INDEX audit_log_actor_idx ON control.audit_log (actor, id);
CREATE INDEX audit_log_action_idx ON control.audit_log (action, id);
CREATE INDEX audit_log_at_idx ON control.audit_log (at);
