-- expect: VL101
DO $$
BEGIN
  ALTER TABLE app.vals DROP COLUMN schedule;
END
$$;
