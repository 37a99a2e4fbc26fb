-- expect: VL101, VL112
ALTER TABLE app.vals DROP COLUMN schedule;
DROP INDEX app.runs_val_started_idx;

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (8, 'contract', 8, 'drop vals.schedule');
