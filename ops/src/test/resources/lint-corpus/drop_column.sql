-- expect: VL101
ALTER TABLE app.vals DROP COLUMN schedule;
