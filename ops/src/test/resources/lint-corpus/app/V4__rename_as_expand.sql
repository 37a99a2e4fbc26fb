-- expect: VL103, VL002
ALTER TABLE app.vals RENAME COLUMN name TO slug;

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (4, 'expand', 0, 'rename vals.name');
