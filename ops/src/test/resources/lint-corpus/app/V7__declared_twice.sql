-- expect: VL001
INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (7, 'expand', 0, 'first');
INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (7, 'expand', 0, 'second');
