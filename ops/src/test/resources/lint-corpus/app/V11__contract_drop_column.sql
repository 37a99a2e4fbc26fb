-- expect: VL101
-- contract: reported as accepted information, not an error
ALTER TABLE app.vals DROP COLUMN legacy_flag;

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (11, 'contract', 11, 'drop vals.legacy_flag');
