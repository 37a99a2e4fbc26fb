-- expect: VL106
ALTER TABLE app.users ADD COLUMN email text NOT NULL;
