-- expect: VL103
ALTER TABLE app.vals RENAME COLUMN name TO slug;
