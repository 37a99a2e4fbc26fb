-- expect: VL107, VL003
ALTER TABLE control.incidents ALTER COLUMN automation_key SET NOT NULL;
