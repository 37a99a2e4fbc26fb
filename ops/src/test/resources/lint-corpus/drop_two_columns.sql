-- expect: VL101
ALTER TABLE app.runs DROP COLUMN logs, DROP COLUMN error;
