-- expect: none
CREATE OR REPLACE TRIGGER t AFTER INSERT ON app.flyway_schema_history
    FOR EACH STATEMENT EXECUTE FUNCTION control.notify_schema_change();
