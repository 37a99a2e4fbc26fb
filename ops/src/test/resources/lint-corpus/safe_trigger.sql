-- expect: none
CREATE OR REPLACE TRIGGER flyway_history_changed
    AFTER INSERT OR UPDATE OR DELETE ON app.flyway_schema_history
    FOR EACH STATEMENT EXECUTE FUNCTION control.notify_schema_change();
