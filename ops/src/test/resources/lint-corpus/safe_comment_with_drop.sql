-- expect: none
-- DROP TABLE app.vals;
/* ALTER TABLE app.vals DROP COLUMN name; */
SELECT 1;
