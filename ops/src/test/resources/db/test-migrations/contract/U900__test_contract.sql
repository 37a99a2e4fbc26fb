-- Test only: the undo script of V900 (same version and description, prefix U). `ops migrate --undo 900`
-- runs it and removes V900's control.schema_contract row and its history row in the same transaction.
ALTER TABLE app.vals DROP COLUMN test_contract_marker;
