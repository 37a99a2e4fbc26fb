-- Flyway callback (not a migration): after every migrate, whichever client runs it, make sure the
-- app schema's history table notifies runtimes of changes (failed rows of non-transactional
-- migrations, repairs). Inside a migration this would deadlock with Flyway's own history insert.
CREATE OR REPLACE TRIGGER flyway_history_changed
    AFTER INSERT OR UPDATE OR DELETE ON app.flyway_schema_history
    FOR EACH STATEMENT EXECUTE FUNCTION control.notify_schema_change();

-- The same changes notified again at their commit, carrying the commit's time: runtimes measure how
-- long they took to notice a schema change from when it became visible, not from the statement that
-- made it (a migration may hold its transaction open long after). A deferred constraint trigger runs
-- as its transaction commits; the statement triggers above stay for builds that read only their "at".
CREATE OR REPLACE FUNCTION control.notify_schema_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('valence_schema', json_build_object(
        'table', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
        'committedAt', extract(epoch FROM clock_timestamp()))::text);
    RETURN NULL;
END;
$$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'flyway_history_committed'
                   AND tgrelid = 'app.flyway_schema_history'::regclass) THEN
        CREATE CONSTRAINT TRIGGER flyway_history_committed
            AFTER INSERT OR UPDATE OR DELETE ON app.flyway_schema_history
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION control.notify_schema_commit();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'schema_contract_committed'
                   AND tgrelid = 'control.schema_contract'::regclass) THEN
        CREATE CONSTRAINT TRIGGER schema_contract_committed
            AFTER INSERT OR UPDATE OR DELETE ON control.schema_contract
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION control.notify_schema_commit();
    END IF;
END;
$$;
