-- Flyway callback (not a migration): after every migrate, whichever client runs it, make sure the
-- app schema's history table notifies runtimes of changes (failed rows of non-transactional
-- migrations, repairs). Inside a migration this would deadlock with Flyway's own history insert.
CREATE OR REPLACE TRIGGER flyway_history_changed
    AFTER INSERT OR UPDATE OR DELETE ON app.flyway_schema_history
    FOR EACH STATEMENT EXECUTE FUNCTION control.notify_schema_change();
