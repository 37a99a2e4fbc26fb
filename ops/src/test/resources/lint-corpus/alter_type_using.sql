-- expect: VL105
ALTER TABLE app.runs ALTER COLUMN duration_ms TYPE bigint USING duration_ms::bigint;
