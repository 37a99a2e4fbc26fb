-- Schema changes are pushed to every runtime: a trigger on the contract table (and, from app v1 on,
-- on app's Flyway history) notifies the channel `valence_schema` when a row lands or is removed.
-- The payload carries the table and the time the change was made, for detection-latency metrics.
CREATE FUNCTION control.notify_schema_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('valence_schema', json_build_object(
        'table', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
        'at', extract(epoch FROM clock_timestamp()))::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER schema_contract_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON control.schema_contract
    FOR EACH STATEMENT EXECUTE FUNCTION control.notify_schema_change();

-- Work that cron, script and email triggers could not run while the schema was incompatible.
-- It lives in `control` so it can be written while `app` is mismatched; the idempotency key makes a
-- retried submission a no-op, and the claim columns let many instances drain it without running an
-- item twice.
CREATE TABLE control.held_work (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text        NOT NULL CHECK (kind ~ '^[a-z_]{1,32}$'),
    idempotency_key  text        NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 500),
    payload          jsonb       NOT NULL,
    reason_code      text        NOT NULL,
    held_at          timestamptz NOT NULL DEFAULT now(),
    claimed_by       text,
    claimed_at       timestamptz,
    attempts         integer     NOT NULL DEFAULT 0,
    done_at          timestamptz,
    outcome          text
);
CREATE INDEX held_work_pending_idx ON control.held_work (id) WHERE done_at IS NULL;
