-- expect: VL112
DROP INDEX IF EXISTS app.runs_val_started_idx CASCADE;
