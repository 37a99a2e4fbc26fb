-- expect: VL117
ALTER TABLE app.runs ADD COLUMN trace_id uuid DEFAULT gen_random_uuid();
