-- expect: VL106
ALTER TABLE app.env_vars ADD COLUMN id bigint PRIMARY KEY;
