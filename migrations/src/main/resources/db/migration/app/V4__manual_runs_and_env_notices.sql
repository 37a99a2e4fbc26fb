-- "Run now" runs cron and email vals by hand. Their runs are told apart by a flag rather than a
-- new value of app.runs.trigger: code of level 3 and older maps every trigger it reads to an enum
-- and fails on a value it does not know, so a 'manual' trigger would break their runs list. A
-- manual run is stored as trigger 'script' (run on demand through the run endpoint, which is what
-- older code means by it) with manual = true; this build shows it as trigger 'manual'.
-- The constant default makes the column a catalog change, no table rewrite.
ALTER TABLE app.runs ADD COLUMN manual boolean NOT NULL DEFAULT false;

-- Every write of an environment variable, by any build or by hand, tells the runtimes whose owner's
-- values changed (channel valence_env, payload the user id). The notice is sent when the write
-- commits, so a runtime that reads after it sees the new value.
CREATE FUNCTION app.notify_env_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('valence_env', (CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END)::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER env_vars_changed
    AFTER INSERT OR UPDATE OR DELETE ON app.env_vars
    FOR EACH ROW EXECUTE FUNCTION app.notify_env_change();

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (4, 'expand', 0, 'runs.manual marks runs started by hand; env_vars writes notify valence_env');
