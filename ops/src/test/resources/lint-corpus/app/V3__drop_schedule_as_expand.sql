-- expect: VL101, VL002
ALTER TABLE app.vals DROP COLUMN schedule;

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (3, 'expand', 0, 'drop vals.schedule');
