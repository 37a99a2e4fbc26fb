-- expect: VL105
ALTER TABLE app.runs ALTER COLUMN http_status TYPE smallint;
