-- expect: VL106, VL110
ALTER TABLE app.env_vars ADD COLUMN id bigint PRIMARY KEY;
