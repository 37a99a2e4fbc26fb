-- expect: VL105
-- the old type is not known from an earlier file, so widening cannot be proved
ALTER TABLE app.vals ALTER COLUMN name TYPE text;
