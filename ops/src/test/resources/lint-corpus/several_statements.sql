-- expect: VL101, VL111
ALTER TABLE app.vals ADD COLUMN description text;
CREATE INDEX vals_description_idx ON app.vals (description);
ALTER TABLE app.vals DROP COLUMN schedule;
