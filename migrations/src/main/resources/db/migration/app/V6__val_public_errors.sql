-- What strangers see of a val's error: 'brief' (the code and the run id) or 'full' (also the val's
-- own message and stack); NULL follows the operator's VAL_PUBLIC_ERRORS. Expand: a new nullable
-- column with no default and no CHECK, so adding it neither rewrites nor scans app.vals (the API
-- accepts only the two words); older code never names it and shows full errors as it always did.

ALTER TABLE app.vals ADD COLUMN public_errors text;

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (6, 'expand', 0, 'vals may choose what strangers see of their errors');
