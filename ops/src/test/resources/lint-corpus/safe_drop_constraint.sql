-- expect: none
ALTER TABLE app.vals DROP CONSTRAINT IF EXISTS vals_schedule_check;
