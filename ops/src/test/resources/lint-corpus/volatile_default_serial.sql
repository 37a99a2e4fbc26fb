-- expect: VL117
ALTER TABLE app.runs ADD COLUMN seq serial;
