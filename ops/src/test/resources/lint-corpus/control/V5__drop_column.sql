-- expect: VL101, VL003
ALTER TABLE control.instances DROP COLUMN host;
