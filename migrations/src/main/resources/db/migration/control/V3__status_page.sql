-- The status page: components, incidents and maintenance with their update timelines, status history
-- for uptime bars, team tokens and webhook subscribers. Lives in `control` (expand-only) so a
-- mismatched `app` schema can never take the status page down with it.

CREATE TABLE control.status_pages (
    id          text        PRIMARY KEY CHECK (id ~ '^[a-z0-9]{12}$'),
    name        text        NOT NULL,
    url         text        NOT NULL,
    time_zone   text        NOT NULL DEFAULT 'Etc/UTC',
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE control.components (
    id                     text        PRIMARY KEY CHECK (id ~ '^[a-z0-9]{12}$'),
    page_id                text        NOT NULL REFERENCES control.status_pages (id),
    name                   text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description            text,
    status                 text        NOT NULL DEFAULT 'operational' CHECK (status IN
                               ('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')),
    position               integer     NOT NULL,
    group_id               text        REFERENCES control.components (id),
    is_group               boolean     NOT NULL DEFAULT false,
    showcase               boolean     NOT NULL DEFAULT true,
    only_show_if_degraded  boolean     NOT NULL DEFAULT false,
    start_date             date,
    automation_key         text        UNIQUE,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Every status a component has been in, from when: the 90-day uptime bars are computed from it.
CREATE TABLE control.component_status_history (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    component_id  text        NOT NULL REFERENCES control.components (id),
    status        text        NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX component_status_history_idx ON control.component_status_history (component_id, started_at);

-- Incidents and scheduled maintenance share one table (as in Statuspage's format); `kind` tells them apart.
CREATE TABLE control.incidents (
    id               text        PRIMARY KEY CHECK (id ~ '^[a-z0-9]{12}$'),
    page_id          text        NOT NULL REFERENCES control.status_pages (id),
    kind             text        NOT NULL CHECK (kind IN ('incident', 'maintenance')),
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    status           text        NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved',
                                     'postmortem', 'scheduled', 'in_progress', 'verifying', 'completed')),
    impact           text        NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical', 'maintenance')),
    automation_key   text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz NOT NULL DEFAULT now(),
    monitoring_at    timestamptz,
    resolved_at      timestamptz,
    scheduled_for    timestamptz,
    scheduled_until  timestamptz,
    CHECK ((kind = 'maintenance') = (scheduled_for IS NOT NULL))
);
CREATE INDEX incidents_recent_idx ON control.incidents (kind, created_at DESC);
-- One open automatic incident per cause, whichever instance opens it first: a unique key, not a race.
CREATE UNIQUE INDEX incidents_open_automation_idx ON control.incidents (automation_key) WHERE resolved_at IS NULL;

CREATE TABLE control.incident_updates (
    id                     text        PRIMARY KEY CHECK (id ~ '^[a-z0-9]{12}$'),
    incident_id            text        NOT NULL REFERENCES control.incidents (id),
    status                 text        NOT NULL,
    body                   text        NOT NULL CHECK (length(body) <= 20000),
    affected_components    jsonb       NOT NULL DEFAULT '[]',
    deliver_notifications  boolean     NOT NULL DEFAULT true,
    author                 text        NOT NULL DEFAULT '',
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    display_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_updates_incident_idx ON control.incident_updates (incident_id, display_at DESC);

CREATE TABLE control.incident_components (
    incident_id   text NOT NULL REFERENCES control.incidents (id),
    component_id  text NOT NULL REFERENCES control.components (id),
    PRIMARY KEY (incident_id, component_id)
);

-- Team tokens post incidents and updates; separate from val authors' tokens; only a hash is kept.
CREATE TABLE control.team_tokens (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text        NOT NULL DEFAULT '',
    token_hash    bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    token_prefix  text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz
);

CREATE TABLE control.webhook_subscribers (
    id          text        PRIMARY KEY CHECK (id ~ '^[a-z0-9]{12}$'),
    url         text        NOT NULL CHECK (url ~ '^https?://'),
    secret      text        NOT NULL,
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE control.webhook_deliveries (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscriber_id  text        NOT NULL REFERENCES control.webhook_subscribers (id),
    event          text        NOT NULL,
    incident_id    text,
    payload        jsonb       NOT NULL,
    attempts       integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status    integer,
    last_error     text,
    delivered_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_pending_idx ON control.webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL;

-- Changes are pushed to every status page process (live refresh, SSE) through this channel.
CREATE FUNCTION control.notify_status_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('valence_status', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;
CREATE TRIGGER components_changed AFTER INSERT OR UPDATE OR DELETE ON control.components
    FOR EACH STATEMENT EXECUTE FUNCTION control.notify_status_change();
CREATE TRIGGER incidents_changed AFTER INSERT OR UPDATE OR DELETE ON control.incidents
    FOR EACH STATEMENT EXECUTE FUNCTION control.notify_status_change();
CREATE TRIGGER incident_updates_changed AFTER INSERT OR UPDATE OR DELETE ON control.incident_updates
    FOR EACH STATEMENT EXECUTE FUNCTION control.notify_status_change();

-- The default page and its components: what a Valence deployment runs.
INSERT INTO control.status_pages (id, name, url) VALUES ('valencepage1', 'Valence', 'http://localhost:8081/');
INSERT INTO control.components (id, page_id, name, description, position, is_group, automation_key) VALUES
    ('valgroup0001', 'valencepage1', 'Vals', 'Running the vals people write', 1, true, 'group_vals'),
    ('httpvals0001', 'valencepage1', 'HTTP vals', 'Web requests to /v/{owner}/{val}', 2, false, 'http_vals'),
    ('cronvals0001', 'valencepage1', 'Cron vals', 'Scheduled runs', 3, false, 'cron_vals'),
    ('scriptval001', 'valencepage1', 'Script vals', 'Runs on demand', 4, false, 'script_vals'),
    ('emailvals001', 'valencepage1', 'Email vals', 'Inbound email', 5, false, 'email_vals'),
    ('authorapi001', 'valencepage1', 'Authoring API', 'Creating and editing vals', 6, false, 'authoring_api');
UPDATE control.components SET group_id = 'valgroup0001' WHERE id IN ('httpvals0001', 'cronvals0001', 'scriptval001', 'emailvals001');
INSERT INTO control.component_status_history (component_id, status) SELECT id, status FROM control.components WHERE NOT is_group;
