-- expect: VL117
ALTER TABLE app.runs ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
