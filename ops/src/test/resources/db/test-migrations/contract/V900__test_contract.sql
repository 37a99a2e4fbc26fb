-- Test only: a contract migration after every real one (version 900 stays clear of the real numbering).
-- It declares that code below level 900 breaks.
ALTER TABLE app.vals ADD COLUMN test_contract_marker integer;

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (900, 'contract', 900, 'test: a contract migration');
