-- expect: VL103
ALTER TABLE app.vals RENAME privacy TO visibility;
