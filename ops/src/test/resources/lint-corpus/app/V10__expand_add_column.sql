-- expect: none
ALTER TABLE app.vals ADD COLUMN description text;

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (10, 'expand', 0, 'add vals.description');
