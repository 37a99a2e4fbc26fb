-- Test only: a contract migration after the baseline. It declares that code below level 2 breaks.
ALTER TABLE app.vals ADD COLUMN test_contract_marker integer;

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (2, 'contract', 2, 'test: a contract migration');
