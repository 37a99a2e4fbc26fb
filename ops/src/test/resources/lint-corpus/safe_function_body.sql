-- expect: none
CREATE OR REPLACE FUNCTION app.reset() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE app.runs;
  DROP TABLE IF EXISTS app.tmp;
END;
$fn$;
